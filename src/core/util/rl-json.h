/* rl-json.h: small JSON helpers shared by the backend client, the session
 * and the engine's codec.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper JSON from outside (the backend, the engine) is refused: json-glib
 * 1.6 recurses once per level, with no limit of its own. */
#define RL_JSON_MAX_DEPTH 64

JsonNode *rl_json_parse (const char *data, gsize len, GError **error);
JsonNode *rl_json_strings (const char *first_key, ...) G_GNUC_NULL_TERMINATED;
/* Typed reads of the backend's JSON, which is outside input: a member that
 * is missing or of another type gives the fallback, never a warning. */
const char *rl_json_string (JsonObject *object, const char *name);
gboolean rl_json_boolean (JsonObject *object, const char *name, gboolean fallback);
gint64 rl_json_int (JsonObject *object, const char *name, gint64 fallback);
JsonObject *rl_json_object (JsonNode *node);
JsonObject *rl_json_member_object (JsonObject *object, const char *name);
JsonArray *rl_json_member_array (JsonObject *object, const char *name);
gboolean rl_json_lookup_int (JsonObject *object, const char *name, gint64 *value);

G_END_DECLS
