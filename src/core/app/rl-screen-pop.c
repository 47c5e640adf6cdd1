/* rl-screen-pop.c
 *
 * For CRMs that live in a browser and cannot speak D-Bus: the
 * screen-pop-url setting is a page address with {number}, {name},
 * {call_id}, {direction} and {engagement_id} in it, filled from the call
 * (percent-encoded) and opened with the desktop's browser when an inbound
 * call rings, or when it is answered (screen-pop-when). GIO goes through
 * the OpenURI portal in a sandbox. Only http and https addresses are
 * opened: the setting must not become a way to launch anything else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlScreenPop"

#include "rl-screen-pop.h"
#include "rl-error.h"

#include <string.h>

struct _RlScreenPop
{
  GObject parent_instance;

  RlCore *core;
  GHashTable *popped; /* RlCall: a call's page opens once */
};

G_DEFINE_FINAL_TYPE (RlScreenPop, rl_screen_pop, G_TYPE_OBJECT)

/* Returns: (transfer full) (nullable): the value of the template field
 * @name, %NULL when there is no such field */
static char *
field (RlCall *call, const char *name)
{
  g_autoptr (GVariant) details = NULL;
  const char *value = "";

  if (g_str_equal (name, "number"))
    return g_strdup (rl_call_get_remote_number (call));
  if (g_str_equal (name, "name"))
    return g_strdup (rl_call_get_remote_name (call));
  if (g_str_equal (name, "call_id"))
    return g_strdup (rl_call_get_id (call));
  if (g_str_equal (name, "direction"))
    return g_strdup (rl_call_get_direction (call) == RL_CALL_DIRECTION_INBOUND ? "inbound"
                                                                               : "outbound");
  if (!g_str_equal (name, "engagement_id"))
    return NULL;
  details = g_variant_ref_sink (rl_call_build_details (call));
  g_variant_lookup (details, "engagement_id", "&s", &value);
  return g_strdup (value);
}

/**
 * rl_screen_pop_expand:
 * @template: an http(s) address with {number}, {name}, {call_id},
 *   {direction}, {engagement_id}
 *
 * Returns: (transfer full) (nullable): the address for @call, each value
 *   percent-encoded; %NULL with an InvalidArgument error when the template
 *   is not an http or https address or names an unknown field
 */
char *
rl_screen_pop_expand (const char *template, RlCall *call, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *scheme = g_uri_parse_scheme (template);
  const char *p = template;

  if (scheme == NULL
      || (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                           "screen-pop-url: not an http or https address");
      return NULL;
    }
  while (*p)
    {
      const char *close = *p == '{' ? strchr (p, '}') : NULL;
      g_autofree char *name = close ? g_strndup (p + 1, close - p - 1) : NULL;
      g_autofree char *value = name ? field (call, name) : NULL;

      if (*p == '{' && value == NULL)
        {
          g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "screen-pop-url: no field {%s}",
                       name ? name : "");
          return NULL;
        }
      if (value)
        {
          g_string_append_uri_escaped (out, value, NULL, FALSE);
          p = close + 1;
        }
      else
        g_string_append_c (out, *p++);
    }
  if (!g_uri_is_valid (out->str, G_URI_FLAGS_NONE, error))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
on_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_warning ("Cannot open the screen pop: %s", error->message);
}

static void
pop (RlScreenPop *self, RlCall *call)
{
  GSettings *settings = rl_core_get_settings (self->core);
  g_autofree char *template = g_settings_get_string (settings, "screen-pop-url");
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;

  if (*template == '\0' || !g_hash_table_add (self->popped, g_object_ref (call)))
    return;
  url = rl_screen_pop_expand (template, call, &error);
  if (url == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }
  g_debug ("screen pop for call %s", rl_call_get_id (call));
  g_app_info_launch_default_for_uri_async (url, NULL, NULL, on_opened, NULL);
}

static void
on_call_state (RlScreenPop *self, RlCall *call)
{
  g_autofree char *when
    = g_settings_get_string (rl_core_get_settings (self->core), "screen-pop-when");
  RlCallState state = rl_call_get_state (call);

  if (state == RL_CALL_STATE_TERMINATED)
    {
      g_hash_table_remove (self->popped, call);
      return;
    }
  if (rl_call_get_direction (call) != RL_CALL_DIRECTION_INBOUND)
    return;
  if ((g_str_equal (when, "ringing") && state == RL_CALL_STATE_RINGING)
      || (g_str_equal (when, "answered") && state == RL_CALL_STATE_ACCEPTED))
    pop (self, call);
}

static void
rl_screen_pop_dispose (GObject *object)
{
  RlScreenPop *self = RL_SCREEN_POP (object);

  g_clear_pointer (&self->popped, g_hash_table_unref);
  g_clear_object (&self->core);
  G_OBJECT_CLASS (rl_screen_pop_parent_class)->dispose (object);
}

static void
rl_screen_pop_class_init (RlScreenPopClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rl_screen_pop_dispose;
}

static void
rl_screen_pop_init (RlScreenPop *self)
{
  self->popped = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, NULL);
}

RlScreenPop *
rl_screen_pop_new (RlCore *core)
{
  RlScreenPop *self;

  g_return_val_if_fail (RL_IS_CORE (core), NULL);

  self = g_object_new (RL_TYPE_SCREEN_POP, NULL);
  self->core = g_object_ref (core);
  g_signal_connect_object (rl_core_get_phone (core), "call-state-changed",
                           G_CALLBACK (on_call_state), self, G_CONNECT_SWAPPED);
  return self;
}
