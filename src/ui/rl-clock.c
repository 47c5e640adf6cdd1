/* rl-clock.c
 *
 * A time of day in 12 or 24 hours as the agent prefers: GNOME's
 * clock-format where the desktop has it, else the convention of the
 * locale's time format (en_US writes 3:05 PM, most others 15:05).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-clock.h"

#include <gio/gio.h>
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
  g_autofree char *text = g_date_time_format (when, twelve_hours () ? "%l:%M %p" : "%H:%M");

  return g_strdup (g_strstrip (text));
}
