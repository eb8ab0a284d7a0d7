/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/info.c - "dmae info": providers, channels, capabilities,
 * owners, states and statistics, from dmae_chan_list().
 *
 * Channels are grouped by provider.  A provider's capabilities are printed
 * once, from its first channel; a channel whose capabilities differ gets
 * its own block after the table.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

enum {
	OPT_DUMP = 1,
	OPT_JSON,
};

static const struct tool_opt info_opts[] = {
	{ "dump", OPT_DUMP, NULL,
	  "also print the library's own dump (dmae_dump())" },
	{ "json", OPT_JSON, "FILE",
	  "also write providers and channels as JSON\n"
	  "(-: standard output, the table then goes to\n"
	  "standard error)" },
	TOOL_ENGINE_OPTS,
	{ 0 },
};

static bool caps_equal(const struct dmae_caps *a, const struct dmae_caps *b)
{
	return a->ops == b->ops && a->directions == b->directions &&
	       a->addr_widths == b->addr_widths &&
	       a->min_burst == b->min_burst && a->max_burst == b->max_burst &&
	       !memcmp(a->align_shift, b->align_shift, sizeof(a->align_shift)) &&
	       a->max_sg == b->max_sg && a->max_seg_len == b->max_seg_len &&
	       a->residue == b->residue && a->desc_reuse == b->desc_reuse &&
	       a->pause == b->pause && a->terminate == b->terminate;
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

static void print_caps(const struct dmae_caps *c, const char *indent)
{
	unsigned int i;
	bool first;

	fprintf(tool_report, "%s%-12s", indent, "operations");
	for (i = 0; i < DMAE_OP_COUNT; i++) {
		if (c->ops & DMAE_OP_BIT(i))
			fprintf(tool_report, " %s", dmae_op_to_string((enum dmae_op)i));
	}
	fprintf(tool_report, "%s\n", c->ops ? "" : " none");

	fprintf(tool_report, "%s%-12s", indent, "directions");
	for (i = 0; i < DMAE_DIR_COUNT; i++) {
		if (c->directions & DMAE_DIR_BIT(i))
			fprintf(tool_report, " %s", dmae_dir_to_string((enum dmae_dir)i));
	}
	fprintf(tool_report, "%s\n", c->directions ? "" : " none");

	fprintf(tool_report, "%s%-12s", indent, "alignment");
	first = true;
	for (i = 0; i < DMAE_OP_COUNT; i++) {
		if (!(c->ops & DMAE_OP_BIT(i)))
			continue;
		fprintf(tool_report, "%s %s %llu", first ? "" : ",",
		       dmae_op_to_string((enum dmae_op)i),
		       1ULL << (c->align_shift[i] & 63));
		first = false;
	}
	fprintf(tool_report, "%s\n", first ? " -" : " (bytes)");

	fprintf(tool_report, "%s%-12s %" PRIu32 " entries per descriptor\n", indent, "max_sg",
	       c->max_sg);
	if (c->max_seg_len)
		fprintf(tool_report, "%s%-12s %" PRIu64 " bytes\n", indent, "max_seg_len",
		       c->max_seg_len);
	else
		fprintf(tool_report, "%s%-12s unlimited\n", indent, "max_seg_len");
	fprintf(tool_report, "%s%-12s %s\n", indent, "residue",
	       dmae_residue_gran_to_string(c->residue));

	fprintf(tool_report, "%s%-12s", indent, "bus widths");
	for (i = 0; i < 32; i++) {
		if (c->addr_widths & (1u << i))
			fprintf(tool_report, " %llu", 1ULL << i);
	}
	fprintf(tool_report, "%s\n", c->addr_widths ? " (bytes)" : " -");
	fprintf(tool_report, "%s%-12s %" PRIu32 "..%" PRIu32 " (bus words)\n", indent, "burst",
	       c->min_burst, c->max_burst);
	fprintf(tool_report, "%s%-12s %s\n", indent, "pause", yes_no(c->pause));
	fprintf(tool_report, "%s%-12s %s\n", indent, "reuse", yes_no(c->desc_reuse));
	fprintf(tool_report, "%s%-12s %s\n", indent, "terminate", yes_no(c->terminate));
}

/* Width of the widest value of a column, at least the header's. */
static int col_width(const char *header, const struct dmae_chan_info *info,
		     unsigned int n, const char *prov, int (*len)(const struct dmae_chan_info *))
{
	int w = (int)strlen(header), l;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (strcmp(info[i].provider, prov))
			continue;
		l = len(&info[i]);
		if (l > w)
			w = l;
	}
	return w;
}

static int len_name(const struct dmae_chan_info *ci)
{
	return (int)strlen(ci->name);
}

static int len_owner(const struct dmae_chan_info *ci)
{
	return ci->owner[0] ? (int)strlen(ci->owner) : 1;
}

static int len_state(const struct dmae_chan_info *ci)
{
	return (int)strlen(dmae_chan_state_to_string(ci->state));
}

static int len_u64(uint64_t v)
{
	return snprintf(NULL, 0, "%" PRIu64, v);
}

static int len_submitted(const struct dmae_chan_info *ci)
{
	return len_u64(ci->stats.submitted);
}

static int len_completed(const struct dmae_chan_info *ci)
{
	return len_u64(ci->stats.completed);
}

static int len_bytes(const struct dmae_chan_info *ci)
{
	return len_u64(ci->stats.bytes);
}

static int len_pool(const struct dmae_chan_info *ci)
{
	return snprintf(NULL, 0, "%" PRIu32 "/%" PRIu32, ci->stats.pool_free,
			ci->stats.pool_size);
}

static void print_provider(const struct dmae_chan_info *info, unsigned int n,
			   const char *prov)
{
	const struct dmae_chan_info *first = NULL;
	unsigned int i, nchans = 0;
	int wname, wstate, wowner, wsub, wcomp, wbytes, wpool;

	for (i = 0; i < n; i++) {
		if (strcmp(info[i].provider, prov))
			continue;
		if (!first)
			first = &info[i];
		nchans++;
	}

	fprintf(tool_report, "provider %s: %u channel%s\n", prov, nchans,
	       nchans == 1 ? "" : "s");
	fprintf(tool_report, "  capabilities%s:\n", nchans > 1 ? " (every channel unless "
	       "listed below)" : "");
	print_caps(&first->caps, "    ");

	wname = col_width("CHANNEL", info, n, prov, len_name);
	wstate = col_width("STATE", info, n, prov, len_state);
	wowner = col_width("OWNER", info, n, prov, len_owner);
	wsub = col_width("SUBMITTED", info, n, prov, len_submitted);
	wcomp = col_width("COMPLETED", info, n, prov, len_completed);
	wbytes = col_width("BYTES", info, n, prov, len_bytes);
	wpool = col_width("POOL FREE/SIZE", info, n, prov, len_pool);

	fprintf(tool_report, "\n  %-*s  %-*s  %-*s  %5s  %*s  %*s  %6s  %10s  %*s  %*s\n",
	       wname, "CHANNEL", wstate, "STATE", wowner, "OWNER", "USERS",
	       wsub, "SUBMITTED", wcomp, "COMPLETED", "ERRORS", "TERMINATED",
	       wbytes, "BYTES", wpool, "POOL FREE/SIZE");
	for (i = 0; i < n; i++) {
		const struct dmae_chan_info *ci = &info[i];
		char pool[32];

		if (strcmp(ci->provider, prov))
			continue;
		snprintf(pool, sizeof(pool), "%" PRIu32 "/%" PRIu32,
			 ci->stats.pool_free, ci->stats.pool_size);
		fprintf(tool_report, "  %-*s  %-*s  %-*s  %5" PRIu32 "  %*" PRIu64 "  %*" PRIu64
		       "  %6" PRIu64 "  %10" PRIu64 "  %*" PRIu64 "  %*s\n",
		       wname, ci->name, wstate,
		       dmae_chan_state_to_string(ci->state), wowner,
		       ci->owner[0] ? ci->owner : "-", ci->users,
		       wsub, ci->stats.submitted, wcomp, ci->stats.completed,
		       ci->stats.errors, ci->stats.terminated, wbytes,
		       ci->stats.bytes, wpool, pool);
	}

	for (i = 0; i < n; i++) {
		if (strcmp(info[i].provider, prov) ||
		    caps_equal(&info[i].caps, &first->caps))
			continue;
		fprintf(tool_report, "\n  %s capabilities:\n", info[i].name);
		print_caps(&info[i].caps, "    ");
	}
}

/* A bit set as a JSON array of the names to_string() gives each bit. */
static void json_bits(FILE *f, uint32_t bits, unsigned int count,
		      const char *(*to_string)(unsigned int))
{
	bool first = true;

	fputc('[', f);
	for (unsigned int i = 0; i < count; i++) {
		if (!(bits & (1u << i)))
			continue;
		fprintf(f, "%s", first ? "" : ", ");
		tool_json_str(f, to_string(i));
		first = false;
	}
	fputc(']', f);
}

static const char *op_string(unsigned int i)
{
	return dmae_op_to_string((enum dmae_op)i);
}

static const char *dir_string(unsigned int i)
{
	return dmae_dir_to_string((enum dmae_dir)i);
}

static void json_caps(FILE *f, const struct dmae_caps *c)
{
	fprintf(f, "{\"operations\": ");
	json_bits(f, c->ops, DMAE_OP_COUNT, op_string);
	fprintf(f, ", \"directions\": ");
	json_bits(f, c->directions, DMAE_DIR_COUNT, dir_string);
	fprintf(f, ", \"max_sg\": %" PRIu32 ", \"max_seg_len\": %" PRIu64
		   ", \"residue\": \"%s\", \"addr_widths_mask\": %" PRIu32
		   ", \"min_burst\": %" PRIu32 ", \"max_burst\": %" PRIu32
		   ", \"pause\": %s, \"reuse\": %s, \"terminate\": %s}",
		c->max_sg, c->max_seg_len, dmae_residue_gran_to_string(c->residue),
		c->addr_widths, c->min_burst, c->max_burst, c->pause ? "true" : "false",
		c->desc_reuse ? "true" : "false", c->terminate ? "true" : "false");
}

static void json_chan(FILE *f, const struct dmae_chan_info *ci)
{
	fprintf(f, "    {\"name\": ");
	tool_json_str(f, ci->name);
	fprintf(f, ", \"provider\": ");
	tool_json_str(f, ci->provider);
	fprintf(f, ", \"state\": \"%s\", \"owner\": ", dmae_chan_state_to_string(ci->state));
	if (ci->owner[0])
		tool_json_str(f, ci->owner);
	else
		fprintf(f, "null");
	fprintf(f, ", \"users\": %" PRIu32 ", \"submitted\": %" PRIu64 ", \"completed\": %"
		   PRIu64 ", \"errors\": %" PRIu64 ", \"terminated\": %" PRIu64
		   ", \"bytes\": %" PRIu64 ", \"pool_free\": %" PRIu32 ", \"pool_size\": %"
		   PRIu32 ", \"caps\": ",
		ci->users, ci->stats.submitted, ci->stats.completed, ci->stats.errors,
		ci->stats.terminated, ci->stats.bytes, ci->stats.pool_free, ci->stats.pool_size);
	json_caps(f, &ci->caps);
	fputc('}', f);
}

/* Every channel, with its provider, state, statistics and capabilities. */
static int write_json(const char *cmd, const char *path, const struct dmae_chan_info *info,
		      unsigned int n)
{
	FILE *f = tool_out_open(cmd, path);

	if (!f)
		return -1;
	fprintf(f, "{\n  \"version\": ");
	tool_json_str(f, dmae_version());
	fprintf(f, ",\n  \"channels\": [\n");
	for (unsigned int i = 0; i < n; i++) {
		json_chan(f, &info[i]);
		fprintf(f, "%s\n", i + 1 < n ? "," : "");
	}
	fprintf(f, "  ],\n");
	if (tool_devs_json(cmd, f)) {
		tool_out_close(cmd, f, path);
		return -1;
	}
	fprintf(f, "\n}\n");
	return tool_out_close(cmd, f, path);
}

/* dmae_chan_list() into a new array; the count, or -1 (reported). */
static int list_chans(const char *cmd, struct dmae_chan_info **out)
{
	struct dmae_chan_info *info;
	unsigned int n;
	int ret;

	ret = dmae_chan_list(NULL, 0);
	if (ret < 0) {
		tool_call_error(cmd, "dmae_chan_list", ret);
		return -1;
	}
	/* channels may appear between the two calls: ask for some spare */
	n = (unsigned int)ret + 16;
	info = calloc(n, sizeof(*info));
	if (!info) {
		fprintf(stderr, "%s: out of memory\n", cmd);
		return -1;
	}
	ret = dmae_chan_list(info, n);
	if (ret < 0) {
		tool_call_error(cmd, "dmae_chan_list", ret);
		free(info);
		return -1;
	}
	*out = info;
	return (unsigned int)ret < n ? ret : (int)n;
}

static void print_all(const struct dmae_chan_info *info, unsigned int n)
{
	unsigned int i, j;

	if (!n)
		fprintf(tool_report, "no channels registered\n");
	for (i = 0; i < n; i++) {
		/* print each provider once, at its first channel */
		for (j = 0; j < i && strcmp(info[j].provider, info[i].provider); j++)
			;
		if (j < i)
			continue;
		if (i)
			fprintf(tool_report, "\n");
		print_provider(info, n, info[i].provider);
	}
}

/* The table of every provider and channel, and the JSON file if json. */
static int info_print(const char *cmd, const char *json)
{
	struct dmae_chan_info *info = NULL;
	int n = list_chans(cmd, &info), ret = 0;

	if (n < 0)
		return -1;
	print_all(info, (unsigned int)n);
	if (tool_devs_print(cmd))
		ret = -1;
	if (json && write_json(cmd, json, info, (unsigned int)n))
		ret = -1;
	free(info);
	return ret;
}

int tool_info_print(const char *cmd)
{
	return info_print(cmd, NULL);
}

int cmd_info(int argc, char **argv)
{
	struct tool_engine_cfg cfg = TOOL_ENGINE_CFG_DEFAULT;
	struct tool_engine eng;
	struct tool_args args;
	const char *val, *json = NULL;
	bool dump = false;
	int key, ret;

	tool_args_init(&args, "dmae info", argc, argv, info_opts);
	args.description =
		"Create the software copy engine (swdma) and the simulated\n"
		"controller (simdmac), then list every registered provider with\n"
		"its capabilities, every channel with its state, owner and\n"
		"statistics, and the device tree: each device's runtime PM state,\n"
		"usage count and time suspended, and the device links.";
	while ((key = tool_args_next(&args, &val)) > 0) {
		switch (key) {
		case OPT_DUMP:
			dump = true;
			break;
		case OPT_JSON:
			json = val;
			tool_output_path(val);
			break;
		case TOOL_OPT_HELP:
			tool_args_help(&args);
			return TOOL_EXIT_OK;
		default:
			if (tool_engine_opt(&args, &cfg, key, val))
				return TOOL_EXIT_USAGE;
			break;
		}
	}
	if (key < 0)
		return TOOL_EXIT_USAGE;

	if (tool_engine_open(&eng, args.cmd, &cfg))
		return TOOL_EXIT_FAIL;

	ret = info_print(args.cmd, json) ? TOOL_EXIT_FAIL : TOOL_EXIT_OK;
	if (dump) {
		fprintf(tool_report, "\n");
		fflush(tool_report);
		dmae_dump(tool_report);
	}
	fflush(tool_report);

	if (tool_engine_close(&eng))
		ret = TOOL_EXIT_FAIL;
	return ret;
}
