/* rl-contact.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlContact"

#include "rl-contact.h"
#include "rl-error.h"
#include "rl-phone-number.h"
#include "rl-text.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (RlContact, rl_contact, rl_contact_ref, rl_contact_unref)

static void
contact_clear (gpointer data)
{
  RlContact *c = data;

  g_free (c->source);
  g_free (c->id);
  g_free (c->name);
  g_free (c->company);
  g_free (c->note);
  g_strfreev (c->phones);
  g_strfreev (c->e164);
  g_strfreev (c->digits);
  g_strfreev (c->emails);
  g_free (c->folded);
}

static GStrv
copy_strv (const char *const *strv)
{
  return strv ? g_strdupv ((char **) strv) : g_new0 (char *, 1);
}

/**
 * rl_contact_new:
 * @region: (nullable): for numbers written without a country code
 *
 * Normalizes the numbers (E.164 and digits) and folds the name: call it
 * off the main loop for many contacts.
 */
RlContact *
rl_contact_new (const char *source, const char *id, const char *name, const char *const *phones,
                const char *const *emails, const char *region)
{
  RlContact *c = g_atomic_rc_box_new0 (RlContact);
  guint n;

  c->source = g_strdup (source);
  c->id = g_strdup (id);
  c->name = g_strdup (name);
  c->phones = copy_strv (phones);
  c->emails = copy_strv (emails);
  n = g_strv_length (c->phones);
  c->e164 = g_new0 (char *, n + 1);
  c->digits = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      char *e164 = rl_phone_number_to_e164 (c->phones[i], region);

      c->e164[i] = e164 ? e164 : g_strdup ("");
      c->digits[i] = rl_phone_number_digits (c->phones[i]);
    }
  c->folded = rl_text_fold (name);
  return c;
}

RlContact *
rl_contact_ref (RlContact *contact)
{
  return g_atomic_rc_box_acquire (contact);
}

void
rl_contact_unref (RlContact *contact)
{
  g_atomic_rc_box_release_full (contact, contact_clear);
}

/* The contact as SearchContacts returns it. */
GVariant *
rl_contact_to_variant (RlContact *c)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "id", g_variant_new_string (c->id));
  g_variant_builder_add (&b, "{sv}", "source", g_variant_new_string (c->source));
  g_variant_builder_add (&b, "{sv}", "name", g_variant_new_string (c->name));
  g_variant_builder_add (&b, "{sv}", "phones",
                         g_variant_new_strv ((const char *const *) c->phones, -1));
  g_variant_builder_add (&b, "{sv}", "e164",
                         g_variant_new_strv ((const char *const *) c->e164, -1));
  g_variant_builder_add (&b, "{sv}", "emails",
                         g_variant_new_strv ((const char *const *) c->emails, -1));
  if (c->company)
    g_variant_builder_add (&b, "{sv}", "company", g_variant_new_string (c->company));
  if (c->note)
    g_variant_builder_add (&b, "{sv}", "note", g_variant_new_string (c->note));
  return g_variant_builder_end (&b);
}

/* A string or a list of them, within the documented sizes. */
static gboolean
check_sizes (GVariant *value, guint index, const char *key, GError **error)
{
  gsize n = g_variant_is_container (value) ? g_variant_n_children (value) : 1;

  if (n > RL_CONTACT_MAX_VALUES)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "contacts[%u].%s: more than %u",
                   index, key, RL_CONTACT_MAX_VALUES);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) one = g_variant_is_container (value)
                                   ? g_variant_get_child_value (value, i)
                                   : g_variant_ref (value);

      if (g_variant_get_size (one) - 1 > RL_CONTACT_MAX_TEXT)
        {
          g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                       "contacts[%u].%s: longer than %u bytes", index, key, RL_CONTACT_MAX_TEXT);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_field (GVariant *contact, guint index, const char *key, const GVariantType *type,
             gboolean required, GError **error)
{
  g_autoptr (GVariant) value = g_variant_lookup_value (contact, key, NULL);

  if (value == NULL && !required)
    return TRUE;
  if (value == NULL || !g_variant_is_of_type (value, type))
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "contacts[%u].%s: %s %s", index, key,
                   required && !value ? "missing," : "",
                   g_variant_type_peek_string (type)[0] == 'a' ? "must be a list of strings (as)"
                                                               : "must be a string (s)");
      return FALSE;
    }
  return check_sizes (value, index, key, error);
}

/**
 * rl_contact_check_list:
 * @contacts: an aa{sv} from outside (D-Bus)
 *
 * Returns: whether every contact's fields have the right types; else an
 * InvalidArgument error names the contact and the field.
 */
gboolean
rl_contact_check_list (GVariant *contacts, GError **error)
{
  gsize n = g_variant_n_children (contacts);

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) c = g_variant_get_child_value (contacts, i);

      if (!check_field (c, i, "id", G_VARIANT_TYPE_STRING, TRUE, error)
          || !check_field (c, i, "name", G_VARIANT_TYPE_STRING, TRUE, error)
          || !check_field (c, i, "phones", G_VARIANT_TYPE_STRING_ARRAY, FALSE, error)
          || !check_field (c, i, "emails", G_VARIANT_TYPE_STRING_ARRAY, FALSE, error)
          || !check_field (c, i, "company", G_VARIANT_TYPE_STRING, FALSE, error)
          || !check_field (c, i, "note", G_VARIANT_TYPE_STRING, FALSE, error))
        return FALSE;
    }
  return TRUE;
}
