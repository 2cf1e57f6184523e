/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subset of iproute2's include/utils.h that ip-dmvpn uses, with the
 * same names and semantics, so the port into iproute2 drops this file.
 */
#ifndef _DMVPN_UTILS_H_
#define _DMVPN_UTILS_H_

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>

extern int json;
extern int pretty;
extern int show_stats;

#define NEXT_ARG()                                                             \
	do {                                                                   \
		argv++;                                                        \
		if (--argc <= 0)                                               \
			incomplete_command();                                  \
	} while (0)
#define NEXT_ARG_OK() (argc - 1 > 0)
#define PREV_ARG()                                                             \
	do {                                                                   \
		argv--;                                                        \
		argc++;                                                        \
	} while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

bool matches(const char *prefix, const char *string);

void incomplete_command(void) __attribute__((noreturn));
void invarg(const char *msg, const char *arg) __attribute__((noreturn));
void duparg(const char *key, const char *arg) __attribute__((noreturn));
void duparg2(const char *key, const char *arg) __attribute__((noreturn));
void missarg(const char *key) __attribute__((noreturn));

int get_u32(__u32 *val, const char *arg, int base);
int get_u8(__u8 *val, const char *arg, int base);

#endif /* _DMVPN_UTILS_H_ */
