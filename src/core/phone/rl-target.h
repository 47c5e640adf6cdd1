/* rl-target.h: what a user or a link may ask Ringline to dial.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longer than any real number or SIP URI; keeps garbage out of baresip. */
#define RL_TARGET_MAX_LENGTH 256

char *rl_target_normalize (const char *input, GError **error);
char *rl_target_normalize_full (const char *input, char **post_dial, GError **error);
char *rl_target_from_link (const char *uri, GError **error);
gboolean rl_target_is_link (const char *uri);
char *rl_target_uri_user (const char *uri);
char *rl_target_uri_host (const char *uri);

G_END_DECLS
