/* rl-dbus-limits.c
 *
 * One check at the door for every method of an interface: a caller that
 * sends a megabyte as a number to dial, or ten thousand options, gets
 * InvalidArgument before any handler sees it. Contacts, which come by the
 * million, are checked in their worker instead (rl_contact_check_list()):
 * walking them here would hold the main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlDbusLimits"

#include "rl-dbus-limits.h"
#include "rl-error.h"

static const char *const checked_in_worker[] = { "SetContacts", "SaveContacts", NULL };

/* Returns: the first string over the limit, its path in @where. */
static gboolean
walk (GVariant *value, GString *where, GError **error)
{
  GVariantIter iter;
  GVariant *child;
  gsize at = where->len;
  guint i = 0;

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
      || g_variant_is_of_type (value, G_VARIANT_TYPE_OBJECT_PATH))
    {
      if (g_variant_get_size (value) - 1 <= RL_DBUS_MAX_STRING)
        return TRUE;
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "%s: longer than %u bytes",
                   where->str, RL_DBUS_MAX_STRING);
      return FALSE;
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      g_autoptr (GVariant) inner = g_variant_get_variant (value);

      return walk (inner, where, error);
    }
  if (!g_variant_is_container (value))
    return TRUE;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE ("a{?*}"))
      && g_variant_n_children (value) > RL_DBUS_MAX_ENTRIES)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "%s: more than %u entries",
                   where->str, RL_DBUS_MAX_ENTRIES);
      return FALSE;
    }
  g_variant_iter_init (&iter, value);
  while ((child = g_variant_iter_next_value (&iter)))
    {
      gboolean ok;

      g_string_append_printf (where, "[%u]", i++);
      ok = walk (child, where, error);
      g_variant_unref (child);
      if (!ok)
        return FALSE;
      g_string_truncate (where, at);
    }
  return TRUE;
}

/**
 * rl_dbus_limits_check:
 * @args: a method call's parameters
 *
 * Returns: whether every string in @args is within %RL_DBUS_MAX_STRING
 *   bytes and every dictionary within %RL_DBUS_MAX_ENTRIES entries; else an
 *   InvalidArgument error names the argument ("args[0]", "args[1][3]")
 */
gboolean
rl_dbus_limits_check (GVariant *args, GError **error)
{
  g_autoptr (GString) where = g_string_new ("args");

  return walk (args, where, error);
}

static gboolean
on_authorize (GDBusInterfaceSkeleton *skeleton, GDBusMethodInvocation *invocation,
              gpointer user_data)
{
  const char *method = g_dbus_method_invocation_get_method_name (invocation);
  g_autoptr (GError) error = NULL;

  if (g_strv_contains (checked_in_worker, method)
      || rl_dbus_limits_check (g_dbus_method_invocation_get_parameters (invocation), &error))
    return TRUE;
  g_dbus_method_invocation_return_error (invocation, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "%s %s",
                                         method, error->message);
  return FALSE;
}

/* Every method call to @skeleton passes rl_dbus_limits_check() first. */
void
rl_dbus_limits_guard (GDBusInterfaceSkeleton *skeleton)
{
  g_signal_connect (skeleton, "g-authorize-method", G_CALLBACK (on_authorize), NULL);
}
