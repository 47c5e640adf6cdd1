/* rl-clock.c
 *
 * Times as the agent reads them. A time of day in 12 or 24 hours as the
 * agent prefers: GNOME's clock-format where the desktop has it, else the
 * convention of the locale's time format (en_US writes 3:05 PM, most
 * others 15:05). A running call's timer as a stopwatch shows it (the same
 * in every language); how long a finished call lasted in the agent's
 * words ("4 min 5 s", "4分5秒").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-clock.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <langinfo.h>
#include <string.h>

#define DESKTOP_SCHEMA "org.gnome.desktop.interface"

static gboolean
twelve_hours (void)
{
  g_autoptr (GSettingsSchema) schema = g_settings_schema_source_lookup (
    g_settings_schema_source_get_default (), DESKTOP_SCHEMA, TRUE);
  const char *locale_format;

  if (schema && g_settings_schema_has_key (schema, "clock-format"))
    {
      g_autoptr (GSettings) desktop = g_settings_new (DESKTOP_SCHEMA);
      g_autofree char *format = g_settings_get_string (desktop, "clock-format");

      return g_str_equal (format, "12h");
    }
  locale_format = nl_langinfo (T_FMT);
  return strstr (locale_format, "%I") || strstr (locale_format, "%l")
         || strstr (locale_format, "%r");
}

/* Returns: (transfer full): @when's hour and minute, "15:05" or "3:05 PM" */
char *
rl_clock_format (GDateTime *when)
{
  /* "%-l": GLib pads "%l" with a figure space, which no strip removes. */
  return g_date_time_format (when, twelve_hours () ? "%-l:%M %p" : "%H:%M");
}

/* Returns: (transfer full): a stopwatch's reading, "4:05" or "1:02:03" */
char *
rl_clock_format_elapsed (gint64 seconds)
{
  seconds = MAX (seconds, 0);
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02u:%02u", seconds / 3600,
                            (guint) (seconds / 60 % 60), (guint) (seconds % 60));
  return g_strdup_printf ("%u:%02u", (guint) (seconds / 60), (guint) (seconds % 60));
}

/* Returns: (transfer full): how long a call lasted, to the second under an
 * hour and to the minute beyond */
char *
rl_clock_format_duration (guint seconds)
{
  guint hours = seconds / 3600, minutes = seconds / 60 % 60;

  if (hours > 0)
    /* Translators: a call's length in hours and minutes, in a history row;
     * abbreviations as your language writes them, e.g. "1 h 05 min" */
    return g_strdup_printf (C_ ("duration", "%u h %02u min"), hours, minutes);
  if (minutes > 0)
    /* Translators: a call's length in minutes and seconds, e.g. "4 min 05 s" */
    return g_strdup_printf (C_ ("duration", "%u min %02u s"), minutes, seconds % 60);
  /* Translators: a call's length in seconds, e.g. "42 s" */
  return g_strdup_printf (C_ ("duration", "%u s"), seconds);
}
