/* rl-enum.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlEnum"

#include "rl-enum.h"

/* Returns: (transfer none): @value's nick; a value outside the enum is a
 * programming error and gives "". */
const char *
rl_enum_to_nick (GType type, int value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  g_type_class_unref (klass);
  g_return_val_if_fail (v != NULL, "");
  return v->value_nick;
}

/* Returns: whether @nick names one of @type's values; @value is then set. */
gboolean
rl_enum_from_nick (GType type, const char *nick, int *value)
{
  GEnumClass *klass;
  GEnumValue *v;

  g_return_val_if_fail (value != NULL, FALSE);

  if (nick == NULL)
    return FALSE;
  klass = g_type_class_ref (type);
  v = g_enum_get_value_by_nick (klass, nick);
  if (v)
    *value = v->value;
  g_type_class_unref (klass);
  return v != NULL;
}
