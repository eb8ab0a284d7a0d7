/* SPDX-License-Identifier: MIT */
/* The driver API's library-state query (dmae/driver.h). */
#include "core/core.h"

bool dmae_initialised(void)
{
	return dmae__initialised();
}
