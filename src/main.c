/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Ringline"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>
#include <sys/resource.h>

#include "rl-daemon.h"
#include "rl-application.h"

/* The language chosen in Preferences (or by a host over D-Bus) over the
 * desktop's, for the messages only: dates and numbers keep the locale. */
static void
apply_language (void)
{
  g_autoptr (GSettingsSchema) schema
    = g_settings_schema_source_lookup (g_settings_schema_source_get_default (), APP_ID, TRUE);
  g_autoptr (GSettings) settings = NULL;
  g_autofree char *language = NULL;
  const char *messages;

  if (schema == NULL)
    return;
  settings = g_settings_new (APP_ID);
  language = g_settings_get_string (settings, "language");
  if (*language == '\0')
    return;
  g_setenv ("LANGUAGE", language, TRUE);
  /* gettext ignores LANGUAGE under the plain C locale. */
  messages = setlocale (LC_MESSAGES, NULL);
  if (messages && (g_str_equal (messages, "C") || g_str_equal (messages, "POSIX")))
    setlocale (LC_MESSAGES, "C.UTF-8");
}

int
main (int argc, char *argv[])
{
  g_autoptr (GApplication) app = NULL;
  gboolean headless = FALSE;
  gboolean service = FALSE;
  gboolean others = FALSE; /* arguments besides --headless */

  /* Passwords and tokens live in this process's memory: a crash leaves no
   * core file with them. */
  setrlimit (RLIMIT_CORE, &(struct rlimit){ 0, 0 });
  setlocale (LC_ALL, "");
  apply_language ();
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("RINGLINE_LOCALEDIR") ?: LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  for (int i = 1; i < argc; i++)
    {
      headless |= strcmp (argv[i], "--headless") == 0;
      service |= strcmp (argv[i], "--gapplication-service") == 0;
      others |= strcmp (argv[i], "--headless") != 0;
    }
  /* With a display, every start is the one application, which can show its
   * window later; with none at all, GTK cannot start, and the phone runs in
   * a plain GApplication. */
  if ((headless || service) && !gtk_init_check ())
    app = G_APPLICATION (rl_daemon_new ());
  else
    app = G_APPLICATION (rl_application_new (headless));
  /* A bare ringline --headless while Ringline runs: it is there already,
   * and activating it would open its window. */
  if (headless && !others && g_application_register (app, NULL, NULL)
      && g_application_get_is_remote (app))
    return 0;
  return g_application_run (app, argc, argv);
}
