/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/options.c - the option parser the subcommands share.
 *
 * A subcommand describes its options once, in a struct tool_opt table;
 * the same table drives parsing and --help.  Every error is one line,
 * "dmae test: --size: expected a positive number, got 'x'", and the
 * subcommand exits with TOOL_EXIT_USAGE.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

void tool_args_init(struct tool_args *a, const char *cmd, int argc, char **argv,
		    const struct tool_opt *opts)
{
	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	a->usage = "[options]";
	a->opts = opts;
	a->argc = argc;
	a->argv = argv;
	a->i = 1;	/* argv[0] is the subcommand name */
}

int tool_usage_error(const struct tool_args *a, const char *fmt, ...)
{
	va_list ap;

	if (a->opt)
		fprintf(stderr, "%s: %s: ", a->cmd, a->opt);
	else
		fprintf(stderr, "%s: ", a->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return TOOL_EXIT_USAGE;
}

static const struct tool_opt *find_opt(const struct tool_opt *opts,
				       const char *name, size_t len)
{
	for (; opts->name; opts++) {
		if (strlen(opts->name) == len && !strncmp(opts->name, name, len))
			return opts;
	}
	return NULL;
}

int tool_args_next(struct tool_args *a, const char **val)
{
	static char optbuf[64];	/* "--name" of the current option */
	const struct tool_opt *o;
	const char *arg, *name, *eq;
	size_t len;

	*val = NULL;
	a->opt = NULL;
	if (a->i >= a->argc)
		return 0;
	arg = a->argv[a->i++];

	if (!strcmp(arg, "-h"))
		return TOOL_OPT_HELP;
	if (strncmp(arg, "--", 2) || !arg[2]) {
		tool_usage_error(a, "unexpected argument '%s' (see '%s --help')",
				 arg, a->cmd);
		return -1;
	}
	name = arg + 2;
	eq = strchr(name, '=');
	len = eq ? (size_t)(eq - name) : strlen(name);
	o = find_opt(a->opts, name, len);
	if (!o) {
		tool_usage_error(a, "unknown option '--%.*s' (see '%s --help')",
				 (int)len, name, a->cmd);
		return -1;
	}
	snprintf(optbuf, sizeof(optbuf), "--%s", o->name);
	a->opt = optbuf;

	if (!o->arg) {
		if (eq) {
			tool_usage_error(a, "takes no value, got '%s'", eq + 1);
			return -1;
		}
		return o->key;
	}
	if (eq) {
		*val = eq + 1;
	} else {
		if (a->i >= a->argc) {
			tool_usage_error(a, "missing value %s", o->arg);
			return -1;
		}
		*val = a->argv[a->i++];
	}
	return o->key;
}

void tool_args_help(const struct tool_args *a)
{
	const struct tool_opt *o;
	const char *p, *nl;
	int width = 0, w;

	printf("usage: %s %s\n", a->cmd, a->usage);
	if (a->description)
		printf("\n%s\n", a->description);
	for (o = a->opts; o->name; o++) {
		w = (int)strlen(o->name) + 2 + (o->arg ? (int)strlen(o->arg) + 1 : 0);
		if (w > width)
			width = w;
	}
	printf("\noptions:\n");
	for (o = a->opts; o->name; o++) {
		char head[96];

		snprintf(head, sizeof(head), "--%s%s%s", o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
		printf("  %-*s  ", width, head);
		/* continuation lines of the help text line up with the first */
		for (p = o->help;; p = nl + 1) {
			nl = strchr(p, '\n');
			if (!nl) {
				printf("%s\n", p);
				break;
			}
			printf("%.*s\n  %-*s  ", (int)(nl - p), p, width, "");
		}
	}
}

/*
 * Parse a non-negative integer prefix, decimal or 0x-hex (a leading 0 does
 * not mean octal); *end points after it.
 */
static int parse_uint(const char *val, uint64_t *out, char **end)
{
	unsigned long long v;
	int base = 10;

	if (val[0] == '0' && (val[1] == 'x' || val[1] == 'X')) {
		base = 16;
		val += 2;
	}
	/* strtoull accepts leading blanks and signs: refuse them */
	if (!isxdigit((unsigned char)val[0]) ||
	    (base == 10 && !isdigit((unsigned char)val[0])))
		return -EINVAL;
	errno = 0;
	v = strtoull(val, end, base);
	if (errno == ERANGE)
		return -ERANGE;
	*out = v;
	return 0;
}

static int range_error(const struct tool_args *a, const char *val, uint64_t min,
		       uint64_t max)
{
	if (max == UINT64_MAX && min == 0)
		return tool_usage_error(a, "expected a number, got '%s'", val);
	if (max == UINT64_MAX && min == 1)
		return tool_usage_error(a, "expected a positive number, got '%s'",
					val);
	if (max == UINT64_MAX)
		return tool_usage_error(a, "expected a number >= %" PRIu64
					", got '%s'", min, val);
	return tool_usage_error(a, "expected a number from %" PRIu64 " to %"
				PRIu64 ", got '%s'", min, max, val);
}

int tool_parse_u64(const struct tool_args *a, const char *val, uint64_t min,
		   uint64_t max, uint64_t *out)
{
	uint64_t v;
	char *end;

	if (parse_uint(val, &v, &end) || *end || v < min || v > max) {
		range_error(a, val, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int tool_parse_size(const struct tool_args *a, const char *val, uint64_t min,
		    uint64_t max, uint64_t *out)
{
	static const struct {
		const char *suffix;
		unsigned int shift;
	} suffixes[] = {
		{ "", 0 },
		{ "K", 10 }, { "k", 10 }, { "KB", 10 }, { "kB", 10 }, { "KiB", 10 },
		{ "M", 20 }, { "MB", 20 }, { "MiB", 20 },
		{ "G", 30 }, { "GB", 30 }, { "GiB", 30 },
	};
	uint64_t v;
	char *end;
	size_t i;

	if (parse_uint(val, &v, &end))
		goto bad;
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		if (strcmp(end, suffixes[i].suffix))
			continue;
		if (v > (UINT64_MAX >> suffixes[i].shift))
			goto range;
		v <<= suffixes[i].shift;
		if (v < min || v > max)
			goto range;
		*out = v;
		return 0;
	}
bad:
	tool_usage_error(a, "expected a positive number of bytes (K, M, G "
			 "suffixes allowed), got '%s'", val);
	return -1;
range:
	if (max == UINT64_MAX)
		tool_usage_error(a, "expected at least %" PRIu64 " bytes, got "
				 "'%s'", min, val);
	else
		tool_usage_error(a, "expected %" PRIu64 " to %" PRIu64
				 " bytes, got '%s'", min, max, val);
	return -1;
}

int tool_parse_seconds(const struct tool_args *a, const char *val,
		       uint64_t *out_ns)
{
	double s;
	char *end;

	if (!val[0] || ((val[0] < '0' || val[0] > '9') && val[0] != '.'))
		goto bad;
	errno = 0;
	s = strtod(val, &end);
	if (errno || *end || !isfinite(s) || s <= 0 || s > 1e9)
		goto bad;
	*out_ns = (uint64_t)(s * 1e9);
	if (!*out_ns)
		goto bad;
	return 0;
bad:
	tool_usage_error(a, "expected a positive number of seconds, got '%s'",
			 val);
	return -1;
}
