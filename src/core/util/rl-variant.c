/* rl-variant.c: small GVariant helpers shared by the layers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-variant.h"

/**
 * rl_variant_dict_merge:
 * @base: (nullable): an a{sv}
 * @more: an a{sv}
 *
 * Returns: (transfer floating): @base with @more's keys set over it
 */
GVariant *
rl_variant_dict_merge (GVariant *base, GVariant *more)
{
  GVariantDict dict;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_dict_init (&dict, base);
  g_variant_iter_init (&iter, more);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    g_variant_dict_insert_value (&dict, key, value);
  return g_variant_dict_end (&dict);
}
