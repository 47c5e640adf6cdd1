/* rl-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlJson"

#include "rl-json.h"
#include "rl-error.h"

/* The deepest nesting of arrays and objects, strings skipped; stops
 * counting past @limit. */
static guint
nesting_depth (const char *data, gsize len, guint limit)
{
  gboolean in_string = FALSE;
  guint depth = 0, deepest = 0;

  for (gsize i = 0; i < len && deepest <= limit; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          depth++;
          deepest = MAX (deepest, depth);
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return deepest;
}

/**
 * rl_json_parse:
 *
 * Parses JSON from outside, refusing nesting deeper than
 * %RL_JSON_MAX_DEPTH before the parser sees it.
 *
 * Returns: (transfer full) (nullable): the root, or %NULL with an
 *   %RL_ERROR_PROTOCOL error
 */
JsonNode *
rl_json_parse (const char *data, gsize len, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local = NULL;

  if (nesting_depth (data, len, RL_JSON_MAX_DEPTH) > RL_JSON_MAX_DEPTH)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_PROTOCOL, "JSON nested deeper than %u levels",
                   RL_JSON_MAX_DEPTH);
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, &local))
    {
      g_set_error (error, RL_ERROR, RL_ERROR_PROTOCOL, "%s", local->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_PROTOCOL, "Empty JSON");
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

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
