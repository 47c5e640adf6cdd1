/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Ringline"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "rl-daemon.h"
#include "rl-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (GApplication) app = NULL;
  gboolean headless = FALSE;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  for (int i = 1; i < argc; i++)
    headless |= strcmp (argv[i], "--headless") == 0;
  /* Headless runs with no display at all, so it cannot be a GtkApplication. */
  if (headless)
    app = G_APPLICATION (rl_daemon_new ());
  else
    app = G_APPLICATION (rl_application_new ());
  return g_application_run (app, argc, argv);
}
