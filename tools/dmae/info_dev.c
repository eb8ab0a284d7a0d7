/* SPDX-License-Identifier: MIT */
/*
 * dmae info: the device tree (providers, their channels, consumers), the
 * device links with their flags, and each device's runtime PM state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const struct {
	unsigned int flag;
	const char *name;
} link_flags[] = {
	{ DMAE_LINK_PM_RUNTIME, "pm-runtime" },
	{ DMAE_LINK_RPM_ACTIVE, "rpm-active" },
	{ DMAE_LINK_AUTOREMOVE_CONSUMER, "autoremove-consumer" },
	{ DMAE_LINK_AUTOREMOVE_SUPPLIER, "autoremove-supplier" },
	{ DMAE_LINK_STATELESS, "stateless" },
};

/* A snapshot of the devices and links; NULL arrays when there are none. */
struct dev_snap {
	struct dmae_dev_info *dev;
	unsigned int ndev;
	struct dmae_dev_link_info *link;
	unsigned int nlink;
};

/* dmae_dev_list() or dmae_dev_link_list() into a new array of size each. */
static int snap_list(const char *cmd, const char *call, int (*list)(void *, unsigned int),
		     size_t size, void **out, unsigned int *n)
{
	int ret = list(NULL, 0);
	unsigned int max;

	if (ret < 0) {
		tool_call_error(cmd, call, ret);
		return -1;
	}
	max = (unsigned int)ret + 16;	/* some appear between the calls */
	*out = calloc(max, size);
	if (!*out) {
		fprintf(stderr, "%s: out of memory\n", cmd);
		return -1;
	}
	ret = list(*out, max);
	if (ret < 0) {
		tool_call_error(cmd, call, ret);
		return -1;
	}
	*n = (unsigned int)ret < max ? (unsigned int)ret : max;
	return 0;
}

static int list_devs(void *info, unsigned int max)
{
	return dmae_dev_list(info, max);
}

static int list_links(void *info, unsigned int max)
{
	return dmae_dev_link_list(info, max);
}

static int snap_take(const char *cmd, struct dev_snap *s)
{
	memset(s, 0, sizeof(*s));
	if (snap_list(cmd, "dmae_dev_list", list_devs, sizeof(*s->dev), (void **)&s->dev,
		      &s->ndev) ||
	    snap_list(cmd, "dmae_dev_link_list", list_links, sizeof(*s->link),
		      (void **)&s->link, &s->nlink))
		return -1;
	return 0;
}

static void snap_free(struct dev_snap *s)
{
	free(s->dev);
	free(s->link);
}

static void print_dev(FILE *f, const struct dev_snap *s, unsigned int i, int depth)
{
	const struct dmae_dev_info *d = &s->dev[i];
	unsigned int j;

	fprintf(f, "  %*s%-*s %-8s %-10s usage %-3d suspended %9.1f ms  resumes %-6llu "
		"suspends %llu\n", 2 * depth, "", 20 - 2 * depth, d->name,
		dmae_dev_kind_to_string(d->kind), dmae_pm_state_to_string(d->pm.state),
		d->pm.usage, (double)d->pm.suspended_ns / 1e6,
		(unsigned long long)d->pm.resumes, (unsigned long long)d->pm.suspends);
	for (j = 0; j < s->ndev; j++) {
		if (depth < 8 && !strcmp(s->dev[j].parent, d->name))
			print_dev(f, s, j, depth + 1);
	}
}

static void print_link_flags(FILE *f, unsigned int flags)
{
	const char *sep = "";
	unsigned int i;

	for (i = 0; i < sizeof(link_flags) / sizeof(link_flags[0]); i++) {
		if (flags & link_flags[i].flag) {
			fprintf(f, "%s%s", sep, link_flags[i].name);
			sep = ",";
		}
	}
	if (!*sep)
		fprintf(f, "managed");
}

static void print_snap(FILE *f, const struct dev_snap *s)
{
	unsigned int i;

	fprintf(f, "\ndevices (runtime PM):\n");
	for (i = 0; i < s->ndev; i++) {
		if (!s->dev[i].parent[0])
			print_dev(f, s, i, 0);
	}
	fprintf(f, "links:%s\n", s->nlink ? "" : " none");
	for (i = 0; i < s->nlink; i++) {
		fprintf(f, "  %s -> %s  ", s->link[i].consumer, s->link[i].supplier);
		print_link_flags(f, s->link[i].flags);
		fprintf(f, "%s\n", s->link[i].rpm_held ? "  (holds it active)" : "");
	}
}

int tool_devs_print(const char *cmd)
{
	struct dev_snap s;
	int ret = snap_take(cmd, &s);

	if (!ret)
		print_snap(tool_report, &s);
	snap_free(&s);
	return ret;
}

static void json_dev(FILE *f, const struct dmae_dev_info *d)
{
	fprintf(f, "    {\"name\": ");
	tool_json_str(f, d->name);
	fprintf(f, ", \"kind\": ");
	tool_json_str(f, dmae_dev_kind_to_string(d->kind));
	fprintf(f, ", \"parent\": ");
	tool_json_str(f, d->parent);
	fprintf(f, ", \"pm_state\": ");
	tool_json_str(f, dmae_pm_state_to_string(d->pm.state));
	fprintf(f, ", \"usage\": %d, \"suspended_ns\": %llu, \"resumes\": %llu, "
		"\"suspends\": %llu, \"resume_errors\": %llu, \"autosuspend_ns\": %llu}",
		d->pm.usage, (unsigned long long)d->pm.suspended_ns,
		(unsigned long long)d->pm.resumes, (unsigned long long)d->pm.suspends,
		(unsigned long long)d->pm.resume_errors,
		(unsigned long long)d->pm.autosuspend_ns);
}

static void json_link(FILE *f, const struct dmae_dev_link_info *l)
{
	unsigned int i;
	const char *sep = "";

	fprintf(f, "    {\"consumer\": ");
	tool_json_str(f, l->consumer);
	fprintf(f, ", \"supplier\": ");
	tool_json_str(f, l->supplier);
	fprintf(f, ", \"flags\": [");
	for (i = 0; i < sizeof(link_flags) / sizeof(link_flags[0]); i++) {
		if (l->flags & link_flags[i].flag) {
			fprintf(f, "%s", sep);
			tool_json_str(f, link_flags[i].name);
			sep = ", ";
		}
	}
	fprintf(f, "], \"holds_active\": %s}", l->rpm_held ? "true" : "false");
}

int tool_devs_json(const char *cmd, FILE *f)
{
	struct dev_snap s;
	unsigned int i;
	int ret = snap_take(cmd, &s);

	if (!ret) {
		fprintf(f, "  \"devices\": [\n");
		for (i = 0; i < s.ndev; i++) {
			json_dev(f, &s.dev[i]);
			fprintf(f, "%s\n", i + 1 < s.ndev ? "," : "");
		}
		fprintf(f, "  ],\n  \"links\": [\n");
		for (i = 0; i < s.nlink; i++) {
			json_link(f, &s.link[i]);
			fprintf(f, "%s\n", i + 1 < s.nlink ? "," : "");
		}
		fprintf(f, "  ]");
	}
	snap_free(&s);
	return ret;
}
