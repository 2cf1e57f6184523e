// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "utils.h"

int json;
int pretty;
int show_stats;

/* iproute2 semantics: false means "prefix abbreviates string". */
bool matches(const char *prefix, const char *string)
{
	if (!*prefix)
		return true;
	while (*string && *prefix == *string) {
		prefix++;
		string++;
	}
	return !!*prefix;
}

void incomplete_command(void)
{
	fprintf(stderr, "Command line is not complete. Try option \"help\"\n");
	exit(-1);
}

void invarg(const char *msg, const char *arg)
{
	fprintf(stderr, "Error: argument \"%s\" is wrong: %s\n", arg, msg);
	exit(-1);
}

void duparg(const char *key, const char *arg)
{
	fprintf(stderr, "Error: duplicate \"%s\": \"%s\" is the second value.\n",
		key, arg);
	exit(-1);
}

void duparg2(const char *key, const char *arg)
{
	fprintf(stderr,
		"Error: either \"%s\" is duplicate, or \"%s\" is a garbage.\n",
		key, arg);
	exit(-1);
}

void missarg(const char *key)
{
	fprintf(stderr, "Error: argument \"%s\" is required\n", key);
	exit(-1);
}

int get_u32(__u32 *val, const char *arg, int base)
{
	unsigned long res;
	char *end;

	/* strtoul would silently accept and negate a leading minus */
	if (!arg || !*arg || *arg == '-')
		return -1;
	errno = 0;
	res = strtoul(arg, &end, base);
	if (!end || end == arg || *end || errno)
		return -1;
	if (res > 0xFFFFFFFFUL)
		return -1;
	*val = res;
	return 0;
}

int get_u8(__u8 *val, const char *arg, int base)
{
	__u32 res;

	if (get_u32(&res, arg, base) || res > 0xFF)
		return -1;
	*val = res;
	return 0;
}
