/* rl-dialpad.c
 *
 * The number entry and its keys. Calling goes through the phone's "dial"
 * verb; the call action is enabled only when that verb is and the entry
 * holds something.
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
  GActionGroup *phone_actions;
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

static void
rl_dialpad_dispose (GObject *object)
{
  RlDialpad *self = RL_DIALPAD (object);

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
