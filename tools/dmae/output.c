/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/output.c - where the subcommands write: the human-readable
 * report, and the files given to --json, --csv and --svg, of which "-"
 * means standard output.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

FILE *tool_report;

void tool_output_init(void)
{
	tool_report = stdout;
}

void tool_output_path(const char *path)
{
	if (!strcmp(path, "-"))
		tool_report = stderr;
}

FILE *tool_out_open(const char *cmd, const char *path)
{
	FILE *f;

	if (!strcmp(path, "-"))
		return stdout;
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "%s: %s: %s\n", cmd, path, strerror(errno));
	return f;
}

int tool_out_close(const char *cmd, FILE *f, const char *path)
{
	int bad = ferror(f);

	if (f == stdout)
		bad |= fflush(f);
	else
		bad |= fclose(f);
	if (bad) {
		fprintf(stderr, "%s: writing %s failed\n", cmd, path);
		return -1;
	}
	return 0;
}

void tool_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}
