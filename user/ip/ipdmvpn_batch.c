// SPDX-License-Identifier: GPL-2.0
/*
 * ip dmvpn -batch FILE: one command per line, as ip -batch.  Each line
 * runs in a child process, so a usage error, which exits as everywhere
 * in ip(8), fails that line only, and no state carries over to the next.
 * The whole input is read first: children exit through stdio, which must
 * not disturb the parent's position in the file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ipdmvpn.h"

struct line {
	char *text;
	unsigned int lineno; /* where the command starts */
};

struct script {
	struct line *lines;
	size_t n;
};

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p) {
		fprintf(stderr, "Error: out of memory\n");
		exit(1);
	}
	return p;
}

/* A trailing backslash continues a command on the next line. */
static int read_script(FILE *f, struct script *s)
{
	unsigned int lineno = 0;
	char *buf = NULL, *cmd = NULL;
	size_t cap = 0, len = 0;
	struct line *l;
	ssize_t n;

	while ((n = getline(&buf, &cap, f)) >= 0) {
		lineno++;
		if (n && buf[n - 1] == '\n')
			buf[--n] = '\0';
		if (!cmd) {
			s->lines = xrealloc(s->lines,
					    (s->n + 1) * sizeof(*s->lines));
			l = &s->lines[s->n++];
			l->lineno = lineno;
			len = 0;
		}
		cmd = xrealloc(cmd, len + n + 1);
		memcpy(cmd + len, buf, n + 1);
		len += n;
		if (len && cmd[len - 1] == '\\') {
			cmd[--len] = '\0';
			continue;
		}
		s->lines[s->n - 1].text = cmd;
		cmd = NULL;
	}
	if (cmd)
		s->lines[s->n - 1].text = cmd;
	free(buf);
	return ferror(f) ? -1 : 0;
}

/*
 * Split line into words in place: blanks separate words, quotes group
 * them, and a '#' that starts a word comments out the rest of the line.
 * Returns the number of words, or -1 when a quote is not closed.
 */
static int split(char *line, char ***argv)
{
	char *r = line, *w = line, q;
	int argc = 0;
	bool end;

	for (;;) {
		while (*r == ' ' || *r == '\t' || *r == '\r')
			r++;
		if (!*r || *r == '#')
			return argc;
		*argv = xrealloc(*argv, (argc + 2) * sizeof(**argv));
		(*argv)[argc++] = w;
		(*argv)[argc] = NULL;
		while (*r && *r != ' ' && *r != '\t' && *r != '\r') {
			if (*r != '"' && *r != '\'') {
				*w++ = *r++;
				continue;
			}
			q = *r++;
			while (*r && *r != q)
				*w++ = *r++;
			if (!*r)
				return -1;
			r++;
		}
		/* w may have caught up with r: step past the blank first. */
		end = !*r;
		if (!end)
			r++;
		*w++ = '\0';
		if (end)
			return argc;
	}
}

static int run_child(int (*run)(int argc, char **argv), int argc, char **argv)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "Error: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		status = run(argc, argv);
		fflush(stdout);
		_exit(status);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int do_dmvpn_batch(const char *name, bool force, int (*run)(int argc, char **argv))
{
	struct script s = {};
	bool failed = false;
	char **argv = NULL;
	FILE *f = stdin;
	size_t i;
	int argc;

	if (strcmp(name, "-") != 0) {
		f = fopen(name, "r");
		if (!f) {
			fprintf(stderr,
				"Cannot open file \"%s\" for reading: %s\n",
				name, strerror(errno));
			return 1;
		}
	}
	if (read_script(f, &s)) {
		fprintf(stderr, "Error: cannot read \"%s\": %s\n", name,
			strerror(errno));
		failed = true;
		force = false; /* run nothing */
	}
	if (f != stdin)
		fclose(f);

	/* -force goes on past a failure, and fails at the end. */
	for (i = 0; i < s.n && (force || !failed); i++) {
		argc = split(s.lines[i].text, &argv);
		if (argc < 0)
			fprintf(stderr, "Error: unterminated quote.\n");
		if (argc && (argc < 0 || run_child(run, argc, argv))) {
			fprintf(stderr, "Command failed %s:%u\n", name,
				s.lines[i].lineno);
			failed = true;
		}
	}
	for (i = 0; i < s.n; i++)
		free(s.lines[i].text);
	free(s.lines);
	free(argv);
	return failed;
}
