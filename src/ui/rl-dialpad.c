/* rl-dialpad.c
 *
 * The number entry and its keys. Calling goes through the phone's "dial"
 * verb; the call action is enabled only when that verb is and the entry
 * holds something. Above the entry, when the call center provides numbers
 * to call from, a drop-down chooses among them (RlCallerIds).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlDialpad"

#include "config.h"

#include "rl-dialpad.h"

#include <glib/gi18n.h>

struct _RlDialpad
{
  AdwBin parent_instance;

  GtkEntry *entry;
  GtkWidget *call_button;
  GtkDropDown *caller_id_dropdown;
  GActionGroup *phone_actions;
  RlCallerIds *caller_ids;
  gboolean filling; /* the drop-down is being changed by us, not the agent */
};

G_DEFINE_FINAL_TYPE (RlDialpad, rl_dialpad, ADW_TYPE_BIN)

static void
update_actions (RlDialpad *self)
{
  gboolean can_dial
    = self->phone_actions && g_action_group_get_action_enabled (self->phone_actions, "dial");
  gboolean has_text = gtk_entry_get_text_length (self->entry) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialpad.call", can_dial && has_text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialpad.backspace", has_text);
}

static void
on_entry_changed (RlDialpad *self)
{
  update_actions (self);
}

static void
call_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RlDialpad *self = RL_DIALPAD (widget);
  g_autofree char *number = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));

  if (*g_strstrip (number) == '\0' || self->phone_actions == NULL)
    return;
  g_action_group_activate_action (
    self->phone_actions, "dial",
    g_variant_new ("(s@a{sv})", number, g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
}

static void
on_entry_activate (RlDialpad *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "dialpad.call", NULL);
}

static void
digit_action (GtkWidget *widget, const char *name, GVariant *param)
{
  rl_dialpad_append (RL_DIALPAD (widget), g_variant_get_string (param, NULL));
}

static void
backspace_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RlDialpad *self = RL_DIALPAD (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  glong len = g_utf8_strlen (text, -1);

  if (len > 0)
    gtk_editable_delete_text (GTK_EDITABLE (self->entry), len - 1, len);
}

static guint
selected_position (RlDialpad *self)
{
  GVariant *numbers = rl_caller_ids_get_numbers (self->caller_ids);
  const char *selected = rl_caller_ids_get_selected (self->caller_ids);
  gsize n = g_variant_n_children (numbers);

  for (gsize i = 0; i < n && *selected; i++)
    {
      g_autoptr (GVariant) entry = g_variant_get_child_value (numbers, i);
      const char *number = "";

      if (g_variant_lookup (entry, "number", "&s", &number) && g_str_equal (number, selected))
        return i + 1;
    }
  return 0;
}

static void
show_selected (RlDialpad *self)
{
  guint position = selected_position (self);

  if (gtk_drop_down_get_selected (self->caller_id_dropdown) == position)
    return;
  self->filling = TRUE;
  gtk_drop_down_set_selected (self->caller_id_dropdown, position);
  self->filling = FALSE;
}

/* "Sales · +15550100" for each number, after the account's own. */
static void
fill_caller_ids (RlDialpad *self)
{
  GVariant *numbers = rl_caller_ids_get_numbers (self->caller_ids);
  g_autoptr (GtkStringList) items = gtk_string_list_new (NULL);
  gsize n = g_variant_n_children (numbers);

  gtk_string_list_append (items, _ ("Your own number"));
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) entry = g_variant_get_child_value (numbers, i);
      const char *number = "", *label = "";
      g_autofree char *text = NULL;

      g_variant_lookup (entry, "number", "&s", &number);
      g_variant_lookup (entry, "label", "&s", &label);
      /* TRANSLATORS: a number to call from: its label, then the number */
      text = *label ? g_strdup_printf (_ ("%s · %s"), label, number) : g_strdup (number);
      gtk_string_list_append (items, text);
    }
  self->filling = TRUE;
  gtk_drop_down_set_model (self->caller_id_dropdown, G_LIST_MODEL (items));
  gtk_drop_down_set_selected (self->caller_id_dropdown, selected_position (self));
  self->filling = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->caller_id_dropdown), n > 0);
}

static void
on_caller_id_chosen (RlDialpad *self)
{
  guint position = gtk_drop_down_get_selected (self->caller_id_dropdown);
  GVariant *numbers = rl_caller_ids_get_numbers (self->caller_ids);
  const char *number = "";
  g_autoptr (GError) error = NULL;

  if (self->filling || position == GTK_INVALID_LIST_POSITION)
    return;
  if (position > 0 && position <= g_variant_n_children (numbers))
    {
      g_autoptr (GVariant) entry = g_variant_get_child_value (numbers, position - 1);

      g_variant_lookup (entry, "number", "&s", &number);
      if (!rl_caller_ids_select (self->caller_ids, number, &error))
        g_warning ("%s", error->message);
      return;
    }
  rl_caller_ids_select (self->caller_ids, "", NULL);
}

static void
rl_dialpad_dispose (GObject *object)
{
  RlDialpad *self = RL_DIALPAD (object);

  if (self->caller_ids)
    g_signal_handlers_disconnect_by_data (self->caller_ids, self);
  g_clear_object (&self->caller_ids);
  if (self->phone_actions)
    g_signal_handlers_disconnect_by_data (self->phone_actions, self);
  g_clear_object (&self->phone_actions);
  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_DIALPAD);
  G_OBJECT_CLASS (rl_dialpad_parent_class)->dispose (object);
}

static void
rl_dialpad_class_init (RlDialpadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rl_dialpad_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ringline/Ringline/rl-dialpad.ui");
  gtk_widget_class_bind_template_child (widget_class, RlDialpad, entry);
  gtk_widget_class_bind_template_child (widget_class, RlDialpad, call_button);
  gtk_widget_class_bind_template_child (widget_class, RlDialpad, caller_id_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);

  gtk_widget_class_install_action (widget_class, "dialpad.digit", "s", digit_action);
  gtk_widget_class_install_action (widget_class, "dialpad.backspace", NULL, backspace_action);
  gtk_widget_class_install_action (widget_class, "dialpad.call", NULL, call_action);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
rl_dialpad_init (RlDialpad *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}

void
rl_dialpad_set_phone_actions (RlDialpad *self, GActionGroup *actions)
{
  g_return_if_fail (RL_IS_DIALPAD (self));

  g_set_object (&self->phone_actions, actions);
  g_signal_connect_object (actions, "action-enabled-changed::dial", G_CALLBACK (update_actions),
                           self, G_CONNECT_SWAPPED);
  update_actions (self);
}

void
rl_dialpad_set_caller_ids (RlDialpad *self, RlCallerIds *caller_ids)
{
  g_return_if_fail (RL_IS_DIALPAD (self));

  g_set_object (&self->caller_ids, caller_ids);
  g_signal_connect_swapped (caller_ids, "notify::numbers", G_CALLBACK (fill_caller_ids), self);
  g_signal_connect_swapped (caller_ids, "notify::selected", G_CALLBACK (show_selected), self);
  g_signal_connect_swapped (self->caller_id_dropdown, "notify::selected",
                            G_CALLBACK (on_caller_id_chosen), self);
  fill_caller_ids (self);
}

void
rl_dialpad_set_number (RlDialpad *self, const char *number)
{
  gtk_editable_set_text (GTK_EDITABLE (self->entry), number ? number : "");
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
}

const char *
rl_dialpad_get_number (RlDialpad *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->entry));
}

void
rl_dialpad_append (RlDialpad *self, const char *text)
{
  int pos = gtk_editable_get_position (GTK_EDITABLE (self->entry));

  gtk_editable_insert_text (GTK_EDITABLE (self->entry), text, -1, &pos);
  gtk_editable_set_position (GTK_EDITABLE (self->entry), pos);
}

GtkWidget *
rl_dialpad_get_entry (RlDialpad *self)
{
  return GTK_WIDGET (self->entry);
}
