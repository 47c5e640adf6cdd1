/* rl-session-private.h: the session's reader of the backend's reply, for
 * the fuzz target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-session.h"

G_BEGIN_DECLS

gboolean _rl_session_parse_reply (JsonNode *root, GVariant **agent, RlAccount **account,
                                  GError **error);

G_END_DECLS
