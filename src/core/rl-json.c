/* rl-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
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
