/* rl-json.h: small JSON helpers shared by the backend client, the session
 * and the engine's codec.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonNode *rl_json_strings (const char *first_key, ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
