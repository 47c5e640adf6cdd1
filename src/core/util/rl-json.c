/* rl-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlJson"

#include "rl-json.h"

/**
 * rl_json_strings:
 * @first_key: the first member's name, followed by its value, then more
 *   name/value pairs, then %NULL
 *
 * Builds a flat object of string members, as requests to the backend and
 * to baresip's ctrl_tcp are.
 *
 * Returns: (transfer full): the object.
 */
JsonNode *
rl_json_strings (const char *first_key, ...)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  va_list args;

  json_builder_begin_object (b);
  va_start (args, first_key);
  for (const char *key = first_key; key; key = va_arg (args, const char *))
    {
      json_builder_set_member_name (b, key);
      json_builder_add_string_value (b, va_arg (args, const char *));
    }
  va_end (args);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static GType
value_type (JsonObject *object, const char *name, JsonNode **node)
{
  *node = object ? json_object_get_member (object, name) : NULL;
  return *node && JSON_NODE_HOLDS_VALUE (*node) ? json_node_get_value_type (*node) : G_TYPE_NONE;
}

/* Returns: (nullable): the member if it is a UTF-8 string */
const char *
rl_json_string (JsonObject *object, const char *name)
{
  JsonNode *node;

  if (value_type (object, name, &node) != G_TYPE_STRING
      || !g_utf8_validate (json_node_get_string (node), -1, NULL))
    return NULL;
  return json_node_get_string (node);
}

gboolean
rl_json_boolean (JsonObject *object, const char *name, gboolean fallback)
{
  JsonNode *node;

  return value_type (object, name, &node) == G_TYPE_BOOLEAN ? json_node_get_boolean (node)
                                                            : fallback;
}

gint64
rl_json_int (JsonObject *object, const char *name, gint64 fallback)
{
  JsonNode *node;

  return value_type (object, name, &node) == G_TYPE_INT64 ? json_node_get_int (node) : fallback;
}

/* Returns: (nullable): @node's object, if it holds one */
JsonObject *
rl_json_object (JsonNode *node)
{
  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Returns: (nullable): the member @name of @object (which may be %NULL), if
 * it is an object */
JsonObject *
rl_json_member_object (JsonObject *object, const char *name)
{
  return rl_json_object (object ? json_object_get_member (object, name) : NULL);
}

/* Returns: (nullable): the member @name of @object (which may be %NULL), if
 * it is an array */
JsonArray *
rl_json_member_array (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* Returns: whether @name is an integer member; @value is then set. */
gboolean
rl_json_lookup_int (JsonObject *object, const char *name, gint64 *value)
{
  JsonNode *node;

  if (value_type (object, name, &node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}
