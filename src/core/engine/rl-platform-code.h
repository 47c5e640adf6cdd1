/* rl-platform-code.h: a call platform's own hang-up codes (seed 001's
 * 800-819), as categories a CRM acts on and words an agent reads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Signs the agent out when a call ends with it: the platform's session
 * is over. */
#define RL_PLATFORM_CODE_LOGIN_EXPIRED 813

const char *rl_platform_code_category (guint code);
const char *rl_platform_code_text (guint code);

G_END_DECLS
