// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal streaming JSON writer behind the iproute2 print_* interface.
 * Output shape matches iproute2's json_writer: compact by default, four
 * space indentation with -p, and a newline after the top-level value.
 */
#include <inttypes.h>
#include <stdio.h>

#include "json_print.h"
#include "utils.h"

static struct {
	bool active;
	bool array;	/* top level is an array (new_json_obj) */
	unsigned int depth;
	char sep;	/* ',' once the current container has a member */
} jw;

#define JSON_CTX(t) (jw.active && ((t) & (PRINT_JSON | PRINT_ANY)))
#define FP_CTX(t) (!jw.active && ((t) & (PRINT_FP | PRINT_ANY)))

static void jw_eol(void)
{
	unsigned int i;

	if (!pretty)
		return;
	putchar('\n');
	for (i = 0; i < jw.depth; i++)
		fputs("    ", stdout);
}

/* Every value and every name starts by separating it from its sibling. */
static void jw_eor(void)
{
	if (jw.sep)
		putchar(jw.sep);
	jw.sep = ',';
}

static void jw_puts(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		switch (c) {
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\r':
			fputs("\\r", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		case '\b':
			fputs("\\b", stdout);
			break;
		case '\f':
			fputs("\\f", stdout);
			break;
		default:
			if (c < 0x20)
				printf("\\u%04x", c);
			else
				putchar(c);
		}
	}
	putchar('"');
}

static void jw_name(const char *name)
{
	jw_eor();
	jw_eol();
	jw.sep = '\0';
	jw_puts(name);
	putchar(':');
	if (pretty)
		putchar(' ');
}

static void jw_begin(int c)
{
	jw_eor();
	putchar(c);
	jw.depth++;
	jw.sep = '\0';
}

static void jw_end(int c)
{
	bool empty = !jw.sep;

	jw.depth--;
	if (!empty)
		jw_eol();
	putchar(c);
	jw.sep = ',';
}

/* As iproute2 does, arrays stay on one line even when pretty. */
static void jw_start_array(void)
{
	jw_begin('[');
	if (pretty)
		putchar(' ');
}

static void jw_end_array(void)
{
	if (pretty && jw.sep)
		putchar(' ');
	jw.sep = '\0';
	jw_end(']');
}

static void new_obj(int on, bool array)
{
	jw.active = on;
	jw.array = array;
	jw.depth = 0;
	jw.sep = '\0';
	if (on && array)
		jw_start_array();
}

static void delete_obj(void)
{
	if (!jw.active)
		return;
	if (jw.array)
		jw_end_array();
	putchar('\n');
	fflush(stdout);
	jw.active = false;
}

void new_json_obj(int on)
{
	new_obj(on, true);
}

void delete_json_obj(void)
{
	delete_obj();
}

void new_json_obj_plain(int on)
{
	new_obj(on, false);
}

void delete_json_obj_plain(void)
{
	delete_obj();
}

bool is_json_context(void)
{
	return jw.active;
}

void open_json_object(const char *str)
{
	if (!jw.active)
		return;
	if (str)
		jw_name(str);
	jw_begin('{');
}

void close_json_object(void)
{
	if (jw.active)
		jw_end('}');
}

/* In text mode the string is a delimiter, as in iproute2. */
void open_json_array(enum output_type t, const char *str)
{
	if (JSON_CTX(t)) {
		if (str)
			jw_name(str);
		jw_start_array();
	} else if (FP_CTX(t)) {
		printf("%s", str);
	}
}

void close_json_array(enum output_type t, const char *str)
{
	if (JSON_CTX(t))
		jw_end_array();
	else if (FP_CTX(t))
		printf("%s", str);
}

void print_nl(void)
{
	if (!jw.active)
		putchar('\n');
}

/* A name leaves sep clear, so the value's own eor prints no comma. */
static void jw_key(const char *key)
{
	if (key)
		jw_name(key);
	jw_eor();
}

int print_string(enum output_type t, const char *key, const char *fmt,
		 const char *value)
{
	if (JSON_CTX(t)) {
		if (key && !value) {
			jw_name(key);
		} else {
			jw_key(key);
			jw_puts(value);
		}
	} else if (FP_CTX(t)) {
		return printf(fmt, value);
	}
	return 0;
}

int print_uint(enum output_type t, const char *key, const char *fmt,
	       unsigned int value)
{
	if (JSON_CTX(t)) {
		jw_key(key);
		printf("%u", value);
	} else if (FP_CTX(t)) {
		return printf(fmt, value);
	}
	return 0;
}

int print_u64(enum output_type t, const char *key, const char *fmt,
	      uint64_t value)
{
	if (JSON_CTX(t)) {
		jw_key(key);
		printf("%" PRIu64, value);
	} else if (FP_CTX(t)) {
		return printf(fmt, (unsigned long long)value);
	}
	return 0;
}

/* As in iproute2, text mode prints the format as is: callers branch. */
int print_bool(enum output_type t, const char *key, const char *fmt,
	       bool value)
{
	if (JSON_CTX(t)) {
		jw_key(key);
		fputs(value ? "true" : "false", stdout);
	} else if (FP_CTX(t)) {
		return printf(fmt, value ? "true" : "false");
	}
	return 0;
}
