/* test-end-reason.c: one assertion per row of the end-reason table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-end-reason.h"

static void
test_table (void)
{
  const struct
  {
    const char *param, *category;
    guint code;
    const char *text;
  } rows[] = {
    { "486 Busy Here", "busy", 486, "Busy Here" },
    { "600 Busy Everywhere", "busy", 600, "Busy Everywhere" },
    { "603 Decline", "declined", 603, "Decline" },
    { "404 Not Found", "not-found", 404, "Not Found" },
    { "604 Does Not Exist Anywhere", "not-found", 604, "Does Not Exist Anywhere" },
    { "484 Address Incomplete", "not-found", 484, "Address Incomplete" },
    { "410 Gone", "not-found", 410, "Gone" },
    { "408 Request Timeout", "no-answer", 408, "Request Timeout" },
    { "480 Temporarily Unavailable", "no-answer", 480, "Temporarily Unavailable" },
    { "487 Request Terminated", "cancelled", 487, "Request Terminated" },
    { "401 Unauthorized", "auth-failed", 401, "Unauthorized" },
    { "407 Proxy Authentication Required", "auth-failed", 407, "Proxy Authentication Required" },
    { "403 Forbidden", "rejected", 403, "Forbidden" },
    { "488 Not Acceptable Here", "rejected", 488, "Not Acceptable Here" },
    { "503 Service Unavailable", "unreachable", 503, "Service Unavailable" },
    { "500 Server Internal Error", "failed", 500, "Server Internal Error" },
    { "606 Not Acceptable", "rejected", 606, "Not Acceptable" },
    { "Connection reset by user", "local-hangup", 0, "Connection reset by user" },
    { "Connection reset by peer", "remote-hangup", 0, "Connection reset by peer" },
    { "Call transfered", "transferred", 0, "Call transfered" },
    { "Connection timed out", "unreachable", 0, "Connection timed out" },
    { "Operation not supported", "failed", 0, "Operation not supported" },
    { "", "failed", 0, "" },
    { "something new", "failed", 0, "something new" },
    { "200 OK", "failed", 0, "200 OK" }, /* not an error status */
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      RlEndReason r = { 0 };

      rl_end_reason_from_engine (rows[i].param, &r);
      g_assert_cmpstr (r.category, ==, rows[i].category);
      g_assert_cmpuint (r.code, ==, rows[i].code);
      g_assert_cmpstr (r.text, ==, rows[i].text);
      rl_end_reason_clear (&r);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/end-reason/table", test_table);
  return g_test_run ();
}
