/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text-or-JSON output with iproute2's include/json_print.h interface, so
 * code written against it ports into iproute2 unchanged.  Only the
 * printers ip-dmvpn needs are provided.
 */
#ifndef _DMVPN_JSON_PRINT_H_
#define _DMVPN_JSON_PRINT_H_

#include <stdbool.h>
#include <stdint.h>

enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 4,
};

void new_json_obj(int json);
void delete_json_obj(void);
void new_json_obj_plain(int json);
void delete_json_obj_plain(void);

bool is_json_context(void);

void open_json_object(const char *str);
void close_json_object(void);
void open_json_array(enum output_type type, const char *delim);
void close_json_array(enum output_type type, const char *delim);

void print_nl(void);

int print_string(enum output_type t, const char *key, const char *fmt,
		 const char *value);
int print_uint(enum output_type t, const char *key, const char *fmt,
	       unsigned int value);
/* fmt takes %llu: the value is passed as unsigned long long. */
int print_u64(enum output_type t, const char *key, const char *fmt,
	      uint64_t value);
int print_bool(enum output_type t, const char *key, const char *fmt,
	       bool value);

#endif /* _DMVPN_JSON_PRINT_H_ */
