// SPDX-License-Identifier: MIT
//
// A C++17 client: every public client header compiles as C++, the structs
// a client embeds have the layout the C library was built with, and a
// copy through the software engine arrives intact.
#include <cstdio>
#include <cstring>
#include <vector>

#include <dmae/context.h>
#include <dmae/dmae.h>
#include <dmae/error.h>
#include <dmae/fastpath.h>
#include <dmae/simdmac.h>
#include <dmae/swdma.h>
#include <dmae/types.h>
#include <dmae/version.h>

#include "layout.h"

static int failures;

static void check(int ret, const char *what)
{
	if (ret < 0) {
		std::fprintf(stderr, "%s: %s (%s)\n", what, dmae_errname(ret), dmae_strerror(ret));
		failures++;
	}
}

static void check_layout(const char *type, size_t cxx_size, size_t cxx_align, const size_t c[2])
{
	if (cxx_size != c[0] || cxx_align != c[1]) {
		std::fprintf(stderr, "%s: C++ size %zu align %zu, C size %zu align %zu\n", type,
			     cxx_size, cxx_align, c[0], c[1]);
		failures++;
	}
}

#define CHECK_LAYOUT(type, c) check_layout(#type, sizeof(type), alignof(type), c)

static void copy_once(struct dmae_chan *chan)
{
	std::vector<unsigned char> src(64 * 1024), dst(src.size());
	struct dmae_completion done = DMAE_COMPLETION_INIT;
	struct dmae_result res = {};
	struct dmae_desc *desc = nullptr;

	for (size_t i = 0; i < src.size(); i++)
		src[i] = static_cast<unsigned char>(i * 7 + 1);
	check(dmae_chan_prep_memcpy(chan, dmae_addr_of(dst.data()), dmae_addr_of(src.data()),
				    src.size(), DMAE_PREP_INTERRUPT | DMAE_PREP_ACK, &desc),
	      "dmae_chan_prep_memcpy");
	if (!desc)
		return;
	check(dmae_desc_set_completion(desc, &done, &res), "dmae_desc_set_completion");
	check(dmae_desc_submit(desc), "dmae_desc_submit");
	check(dmae_chan_issue_pending(chan), "dmae_chan_issue_pending");
	dmae_completion_wait(&done);
	if (res.code != DMAE_RESULT_OK || src != dst) {
		std::fprintf(stderr, "copy: result %d, data %s\n", static_cast<int>(res.code),
			     src == dst ? "equal" : "differs");
		failures++;
	}
}

int main()
{
	struct dmae_swdma *sw = nullptr;
	struct dmae_dev *dev = nullptr;
	struct dmae_chan *chan = nullptr;

	CHECK_LAYOUT(dmae_spinlock_t, dmae_cxx_layout_spinlock);
	CHECK_LAYOUT(struct dmae_mutex, dmae_cxx_layout_mutex);
	CHECK_LAYOUT(struct dmae_completion, dmae_cxx_layout_completion);
	CHECK_LAYOUT(struct dmae_work, dmae_cxx_layout_work);
	if (std::strcmp(dmae_version(), DMAE_VERSION_STRING) != 0) {
		std::fprintf(stderr, "dmae_version() %s, header %s\n", dmae_version(),
			     DMAE_VERSION_STRING);
		failures++;
	}

	check(dmae_init(), "dmae_init");
	check(dmae_swdma_create(nullptr, &sw), "dmae_swdma_create");
	check(dmae_dev_create("cxx-client", &dev), "dmae_dev_create");
	check(dmae_chan_request_caps(dev, DMAE_CAP_MEMCPY, nullptr, nullptr, nullptr, &chan),
	      "dmae_chan_request_caps");
	if (chan) {
		copy_once(chan);
		check(dmae_chan_release(chan), "dmae_chan_release");
	}
	if (dev)
		check(dmae_dev_destroy(dev), "dmae_dev_destroy");
	if (sw)
		check(dmae_swdma_destroy(sw), "dmae_swdma_destroy");
	dmae_exit();
	std::printf("C++ client: %s\n", failures ? "FAILED" : "layout equal, copy verified");
	return failures ? 1 : 0;
}
