/* rl-caller-ids.c
 *
 * The numbers the call center provisions for an agent to call from
 * (Convirza's fetchOrderedNumbers: GET /v3/phone-numbers), read at each
 * sign-in, and the one the agent chose, remembered per agent (setting
 * caller-id-choices) so a shared desk does not mix them. The phone presents
 * the choice where the account lets it choose (identity_header).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlCallerIds"

#include "rl-caller-ids.h"
#include "rl-error.h"
#include "rl-json.h"

#include <string.h>

#define MAX_NUMBERS 100

struct _RlCallerIds
{
  GObject parent_instance;

  RlPhone *phone;
  RlSession *session;
  GSettings *settings;
  GCancellable *cancellable; /* the read in flight */
  GVariant *numbers;         /* aa{sv}: number, label; never floating */
  char *selected;            /* "" for the account's own */
};

G_DEFINE_FINAL_TYPE (RlCallerIds, rl_caller_ids, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_NUMBERS,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GVariant *
no_numbers (void)
{
  return g_variant_ref_sink (g_variant_new ("aa{sv}", NULL));
}

static gboolean
has_number (RlCallerIds *self, const char *number)
{
  GVariantIter iter;
  GVariant *entry;

  g_variant_iter_init (&iter, self->numbers);
  while ((entry = g_variant_iter_next_value (&iter)))
    {
      g_autoptr (GVariant) owned = entry;
      const char *n = NULL;

      if (g_variant_lookup (entry, "number", "&s", &n) && g_str_equal (n, number))
        return TRUE;
    }
  return FALSE;
}

static void
set_selected (RlCallerIds *self, const char *number)
{
  if (g_strcmp0 (self->selected, number) == 0)
    return;
  g_free (self->selected);
  self->selected = g_strdup (number);
  rl_phone_set_caller_id (self->phone, number);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

/* The agent's earlier choice, if the backend still provisions it. */
static void
restore_choice (RlCallerIds *self)
{
  g_autoptr (GVariant) choices = g_settings_get_value (self->settings, "caller-id-choices");
  const char *user = rl_session_get_user_id (self->session);
  const char *number = "";

  if (user == NULL || !g_variant_lookup (choices, user, "&s", &number)
      || !has_number (self, number))
    number = "";
  set_selected (self, number);
}

static void
set_numbers (RlCallerIds *self, GVariant *numbers)
{
  g_clear_pointer (&self->numbers, g_variant_unref);
  self->numbers = g_variant_ref_sink (numbers);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMBERS]);
  restore_choice (self);
}

/* {"items": [{"phoneNumber": "+15550100", "label": "Sales"}, …], "total": N};
 * entries without a usable number are left out. */
static GVariant *
numbers_from_json (JsonNode *root)
{
  JsonArray *items = rl_json_member_array (rl_json_object (root), "items");
  GVariantBuilder b;
  guint n = items ? MIN (json_array_get_length (items), MAX_NUMBERS) : 0;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = rl_json_object (json_array_get_element (items, i));
      const char *number = rl_json_string (item, "phoneNumber");
      const char *label = rl_json_string (item, "label");

      if (number == NULL || !rl_phone_is_caller_number (number))
        continue;
      g_variant_builder_open (&b, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&b, "{sv}", "number", g_variant_new_string (number));
      g_variant_builder_add (&b, "{sv}", "label", g_variant_new_string (label ? label : ""));
      g_variant_builder_close (&b);
    }
  return g_variant_builder_end (&b);
}

static void
on_numbers (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlCallerIds) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = rl_backend_request_finish (RL_BACKEND (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (root == NULL)
    {
      /* A backend without the endpoint: the account's own caller ID. */
      g_debug ("No numbers to call from: %s", error->message);
      return set_numbers (self, g_variant_new ("aa{sv}", NULL));
    }
  set_numbers (self, numbers_from_json (root));
}

static void
on_signed_in_changed (RlCallerIds *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (!rl_session_get_signed_in (self->session))
    return set_numbers (self, g_variant_new ("aa{sv}", NULL));
  self->cancellable = g_cancellable_new ();
  rl_backend_request_async (
    rl_session_get_backend (self->session), "GET", "/v3/phone-numbers?status=provisioned&limit=100",
    NULL, RL_BACKEND_REQUEST_AUTH, self->cancellable, on_numbers, g_object_ref (self));
}

/**
 * rl_caller_ids_select:
 * @number: one of the numbers, or "" for the account's own caller ID
 *
 * Calls from now on present @number; remembered for this agent.
 */
gboolean
rl_caller_ids_select (RlCallerIds *self, const char *number, GError **error)
{
  g_return_val_if_fail (RL_IS_CALLER_IDS (self), FALSE);

  const char *user = rl_session_get_user_id (self->session);
  g_autoptr (GVariant) choices = NULL;
  GVariantDict dict;

  if (*number && !has_number (self, number))
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                   "%s is not one of the numbers the call center provides", number);
      return FALSE;
    }
  set_selected (self, number);
  if (user == NULL)
    return TRUE;
  choices = g_settings_get_value (self->settings, "caller-id-choices");
  g_variant_dict_init (&dict, NULL);
  {
    GVariantIter iter;
    const char *key, *value;

    g_variant_iter_init (&iter, choices);
    while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
      g_variant_dict_insert (&dict, key, "s", value);
  }
  g_variant_dict_insert (&dict, user, "s", number);
  {
    g_autoptr (GVariant) all = g_variant_ref_sink (g_variant_dict_end (&dict));
    GVariantBuilder b;
    GVariantIter iter;
    const char *key;
    GVariant *value;

    g_variant_builder_init (&b, G_VARIANT_TYPE ("a{ss}"));
    g_variant_iter_init (&iter, all);
    while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
      g_variant_builder_add (&b, "{ss}", key, g_variant_get_string (value, NULL));
    g_settings_set_value (self->settings, "caller-id-choices", g_variant_builder_end (&b));
  }
  return TRUE;
}

/* Returns: (transfer none): aa{sv}, each with number and label */
GVariant *
rl_caller_ids_get_numbers (RlCallerIds *self)
{
  g_return_val_if_fail (RL_IS_CALLER_IDS (self), NULL);

  return self->numbers;
}

/* Returns: the chosen number, "" for the account's own caller ID */
const char *
rl_caller_ids_get_selected (RlCallerIds *self)
{
  g_return_val_if_fail (RL_IS_CALLER_IDS (self), NULL);

  return self->selected;
}

static void
rl_caller_ids_dispose (GObject *object)
{
  RlCallerIds *self = RL_CALLER_IDS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->phone);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (rl_caller_ids_parent_class)->dispose (object);
}

static void
rl_caller_ids_finalize (GObject *object)
{
  RlCallerIds *self = RL_CALLER_IDS (object);

  g_clear_pointer (&self->numbers, g_variant_unref);
  g_free (self->selected);
  G_OBJECT_CLASS (rl_caller_ids_parent_class)->finalize (object);
}

static void
rl_caller_ids_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RlCallerIds *self = RL_CALLER_IDS (object);

  switch (prop_id)
    {
    case PROP_NUMBERS:
      g_value_set_variant (value, self->numbers);
      break;
    case PROP_SELECTED:
      g_value_set_string (value, self->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_caller_ids_class_init (RlCallerIdsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = rl_caller_ids_dispose;
  object_class->finalize = rl_caller_ids_finalize;
  object_class->get_property = rl_caller_ids_get_property;
  /**
   * RlCallerIds:numbers:
   *
   * The numbers the call center provisions for the signed-in agent, each an
   * a{sv} with number and label; empty signed out or when it has none.
   */
  properties[PROP_NUMBERS]
    = g_param_spec_variant ("numbers", NULL, NULL, G_VARIANT_TYPE ("aa{sv}"), NULL, flags);
  properties[PROP_SELECTED] = g_param_spec_string ("selected", NULL, NULL, "", flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rl_caller_ids_init (RlCallerIds *self)
{
  self->numbers = no_numbers ();
  self->selected = g_strdup ("");
}

RlCallerIds *
rl_caller_ids_new (RlPhone *phone, RlSession *session, GSettings *settings)
{
  RlCallerIds *self = g_object_new (RL_TYPE_CALLER_IDS, NULL);

  self->phone = g_object_ref (phone);
  self->session = g_object_ref (session);
  self->settings = g_object_ref (settings);
  g_signal_connect_swapped (session, "notify::signed-in", G_CALLBACK (on_signed_in_changed), self);
  if (rl_session_get_signed_in (session))
    on_signed_in_changed (self);
  return self;
}
