/* rl-sign-in-window.c
 *
 * Server, email and password, or the call center's page in the browser.
 * Both go through the core's sign-in verbs; this window only waits for them,
 * shows why one failed, and closes once the agent is signed in. Closing it
 * while waiting (for the browser, typically) cancels the sign-in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlSignInWindow"

#include "config.h"

#include "rl-sign-in-window.h"
#include "rl-error.h"
#include "rl-verbs.h"

#include <glib/gi18n.h>
#include <string.h>

struct _RlSignInWindow
{
  AdwWindow parent_instance;

  AdwEntryRow *server_row;
  AdwEntryRow *email_row;
  AdwEntryRow *password_row;
  GtkLabel *message_label;
  GtkSpinner *spinner;

  RlCore *core;
  GCancellable *cancellable; /* while signing in */
};

G_DEFINE_FINAL_TYPE (RlSignInWindow, rl_sign_in_window, ADW_TYPE_WINDOW)

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
update_buttons (RlSignInWindow *self)
{
  gboolean idle = self->cancellable == NULL;
  gboolean has_server = *text_of (self->server_row) != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.password",
                                 idle && has_server && strchr (text_of (self->email_row), '@')
                                   && *text_of (self->password_row));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.browser", idle && has_server);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), idle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->email_row), idle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), idle);
  gtk_spinner_set_spinning (self->spinner, !idle);
}

static void
show_message (RlSignInWindow *self, const char *text, gboolean is_error)
{
  gtk_label_set_label (self->message_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
}

/* Why the sign-in failed, in the agent's language; the server's or the
 * network's own words, in English, only where they add something. */
static char *
failure_text (const GError *error)
{
  if (error->domain != RL_ERROR)
    /* TRANSLATORS: %s is the system's own words */
    return g_strdup_printf (_ ("Could not sign in (%s)"), error->message);
  switch (error->code)
    {
    case RL_ERROR_AUTH_FAILED:
      return g_strdup (_ ("The call center refused the sign-in: check the email and password"));
    case RL_ERROR_OFFLINE:
      return g_strdup (
        _ ("The call center cannot be reached: check the server address and the network"));
    case RL_ERROR_TIMED_OUT:
      return g_strdup (_ ("The sign-in took too long; try again"));
    case RL_ERROR_INVALID_ARGUMENT:
      if (g_str_has_prefix (error->message, "An email"))
        return g_strdup (_ ("Enter an email address and a password"));
      /* TRANSLATORS: %s says what is wrong with it, in English */
      return g_strdup_printf (_ ("The server address is not valid (%s)"), error->message);
    case RL_ERROR_BACKEND:
      if (strstr (error->message, "certificate"))
        return g_strdup (_ ("The call center's certificate is not trusted"));
      /* TRANSLATORS: %s is the server's own words, in English */
      return g_strdup_printf (_ ("The call center answered with an error (%s)"), error->message);
    default:
      /* TRANSLATORS: %s is the system's own words, in English */
      return g_strdup_printf (_ ("Could not sign in (%s)"), error->message);
    }
}

static void
on_signed_in (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlSignInWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  rl_verbs_invoke_finish (RL_CORE (source), result, NULL, &error);
  g_clear_object (&self->cancellable);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* closed while waiting */
  update_buttons (self);
  if (error)
    {
      g_autofree char *text = failure_text (error);

      show_message (self, text, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }
  g_settings_set_string (rl_core_get_settings (self->core), "sign-in-server",
                         text_of (self->server_row));
  gtk_window_close (GTK_WINDOW (self));
}

static void
start (RlSignInWindow *self, const char *verb, GVariant *param, const char *waiting)
{
  self->cancellable = g_cancellable_new ();
  /* The fields turn insensitive: focus leaves them first, or GTK 4.8 keeps
   * blinking a cursor in a field that lost focus unannounced. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  show_message (self, waiting, FALSE);
  update_buttons (self);
  rl_verbs_invoke_async (self->core, verb, param, self->cancellable, on_signed_in,
                         g_object_ref (self));
}

static void
password_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RlSignInWindow *self = RL_SIGN_IN_WINDOW (widget);

  start (self, "sign-in",
         g_variant_new ("(sss)", text_of (self->server_row), text_of (self->email_row),
                        text_of (self->password_row)),
         NULL);
}

static void
browser_action (GtkWidget *widget, const char *name, GVariant *param)
{
  RlSignInWindow *self = RL_SIGN_IN_WINDOW (widget);

  start (self, "sign-in-with-browser", g_variant_new_string (text_of (self->server_row)),
         _ ("Finish signing in in your browser…"));
}

static gboolean
on_close_request (RlSignInWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  return FALSE;
}

static void
rl_sign_in_window_dispose (GObject *object)
{
  RlSignInWindow *self = RL_SIGN_IN_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->core);
  gtk_widget_dispose_template (GTK_WIDGET (self), RL_TYPE_SIGN_IN_WINDOW);
  G_OBJECT_CLASS (rl_sign_in_window_parent_class)->dispose (object);
}

static void
rl_sign_in_window_class_init (RlSignInWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = rl_sign_in_window_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ringline/Ringline/rl-sign-in-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RlSignInWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, RlSignInWindow, email_row);
  gtk_widget_class_bind_template_child (widget_class, RlSignInWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, RlSignInWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, RlSignInWindow, spinner);
  gtk_widget_class_bind_template_callback (widget_class, update_buttons);
  gtk_widget_class_install_action (widget_class, "sign-in.password", NULL, password_action);
  gtk_widget_class_install_action (widget_class, "sign-in.browser", NULL, browser_action);
  gtk_widget_class_bind_template_callback (widget_class, on_close_request);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rl_sign_in_window_init (RlSignInWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

RlSignInWindow *
rl_sign_in_window_new (GtkWindow *parent, RlCore *core)
{
  RlSignInWindow *self = g_object_new (RL_TYPE_SIGN_IN_WINDOW, "transient-for", parent, NULL);
  g_autofree char *server = g_settings_get_string (rl_core_get_settings (core), "sign-in-server");

  self->core = g_object_ref (core);
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  update_buttons (self);
  gtk_widget_grab_focus (GTK_WIDGET (*server ? self->email_row : self->server_row));
  return self;
}
