/* test-clock.c: times of day, a running call's timer and a finished call's
 * length, in English and in the languages Ringline ships (the translations
 * as built).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-clock.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <locale.h>

static void
test_elapsed (void)
{
  static const struct
  {
    gint64 seconds;
    const char *text;
  } cases[] = {
    { -3, "0:00" },    { 0, "0:00" },       { 5, "0:05" },       { 65, "1:05" },
    { 3599, "59:59" }, { 3600, "1:00:00" }, { 3723, "1:02:03" }, { 100 * 3600, "100:00:00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = rl_clock_format_elapsed (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
in_language (const char *language)
{
  if (language)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");
  /* Not "C": gettext ignores LANGUAGE there. */
  setlocale (LC_MESSAGES, "C.UTF-8");
}

/* A finished call's length reads as the agent's language writes it. */
static void
test_duration (void)
{
  static const struct
  {
    const char *language;
    guint seconds;
    const char *text;
  } cases[] = {
    { NULL, 0, "0 s" },           { NULL, 42, "42 s" },           { NULL, 245, "4 min 05 s" },
    { NULL, 3600, "1 h 00 min" }, { NULL, 3723, "1 h 02 min" },   { "zh_CN", 42, "42秒" },
    { "zh_CN", 245, "4分05秒" },  { "zh_CN", 3723, "1小时02分" }, { "es_MX", 245, "4 min 05 s" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = NULL;

      in_language (cases[i].language);
      text = rl_clock_format_duration (cases[i].seconds);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
  in_language (NULL);
}

/* GNOME's clock-format decides between 12 and 24 hours where the desktop
 * has it. */
static void
test_time_of_day (void)
{
  g_autoptr (GSettingsSchema) schema = g_settings_schema_source_lookup (
    g_settings_schema_source_get_default (), "org.gnome.desktop.interface", TRUE);
  g_autoptr (GDateTime) when = g_date_time_new_local (2026, 12, 5, 15, 5, 0);
  g_autoptr (GSettings) desktop = NULL;
  g_autofree char *twelve = NULL;
  g_autofree char *twenty_four = NULL;

  if (schema == NULL || !g_settings_schema_has_key (schema, "clock-format"))
    {
      g_test_skip ("gsettings-desktop-schemas is not installed");
      return;
    }
  desktop = g_settings_new ("org.gnome.desktop.interface");
  g_settings_set_string (desktop, "clock-format", "24h");
  twenty_four = rl_clock_format (when);
  g_assert_cmpstr (twenty_four, ==, "15:05");
  g_settings_set_string (desktop, "clock-format", "12h");
  twelve = rl_clock_format (when);
  g_assert_cmpstr (twelve, ==, "3:05 PM");
  g_settings_reset (desktop, "clock-format");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("RINGLINE_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_add_func ("/clock/elapsed", test_elapsed);
  g_test_add_func ("/clock/duration", test_duration);
  g_test_add_func ("/clock/time-of-day", test_time_of_day);
  return g_test_run ();
}
