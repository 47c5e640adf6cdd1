/* test-branding.c: brand colours kept legible, SetTheme's checks, a local
 * logo read without blocking and refused when it is no image or too big.
 * The backend's branding and fetched logos: test-dbus /dbus/theme.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-branding.h"
#include "rl-color.h"
#include "rl-error.h"
#include "rl-test-lab.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

static const RlColor white = { 1, 1, 1 };
static const RlColor black = { 0, 0, 0 };

static RlColor
color (const char *text)
{
  RlColor c;
  g_autoptr (GError) error = NULL;

  g_assert_true (rl_color_parse (text, &c, &error));
  g_assert_no_error (error);
  return c;
}

static gboolean
close_to (const RlColor *a, const RlColor *b, double within)
{
  return fabs (a->red - b->red) <= within && fabs (a->green - b->green) <= within
         && fabs (a->blue - b->blue) <= within;
}

static void
test_parse (void)
{
  RlColor c = color ("#6366f1");
  g_autofree char *back = rl_color_to_string (&c);
  RlColor short_form = color ("#fff");
  RlColor rgb = color (" rgb(99, 102, 241) ");

  g_assert_cmpstr (back, ==, "#6366f1");
  g_assert_true (close_to (&short_form, &white, 0));
  g_assert_true (close_to (&rgb, &c, 0));
  for (const char *const *bad
       = (const char *const[]){ "", "#12", "#gggggg", "blue", "rgb(256, 0, 0)", "rgb(1, 2)",
                                "#1234567", "rgb(1, 2, 3) x", NULL };
       *bad; bad++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (rl_color_parse (*bad, &c, &error));
      g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
    }
}

/* WCAG's figures: black on white 21:1, a colour on itself 1:1. */
static void
test_contrast (void)
{
  RlColor grey = color ("#767676");

  g_assert_cmpfloat_with_epsilon (rl_color_contrast (&black, &white), 21, 0.01);
  g_assert_cmpfloat_with_epsilon (rl_color_contrast (&grey, &grey), 1, 0.001);
  /* The lightest grey WCAG lists as passing on white. */
  g_assert_cmpfloat (rl_color_contrast (&grey, &white), >=, 4.5);
}

/* A fill its white text reads on stays; one that fails (the seed's own
 * indigo, 4.47:1) moves the least it must. */
static void
test_fill (void)
{
  RlColor dark_blue = color ("#1a5fb4"), indigo = color ("#6366f1"), yellow = color ("#f6d32d");
  RlColor result, text;

  g_assert_false (rl_color_fill_for_text (&dark_blue, &result, &text));
  g_assert_true (close_to (&text, &white, 0));
  g_assert_true (close_to (&result, &dark_blue, 0));

  g_assert_true (rl_color_fill_for_text (&indigo, &result, &text));
  g_assert_true (close_to (&text, &white, 0));
  g_assert_cmpfloat (rl_color_contrast (&result, &text), >=, 4.5);
  g_assert_true (close_to (&result, &indigo, 0.05));

  g_assert_false (rl_color_fill_for_text (&yellow, &result, &text));
  g_assert_true (close_to (&text, &black, 0));
}

/* Accent text: darker on light surfaces, lighter on dark ones. */
static void
test_legible (void)
{
  RlColor emerald = color ("#10b981"), navy = color ("#1a5fb4"), dark_surface = color ("#383838");
  RlColor result;

  g_assert_true (rl_color_legible_on (&emerald, &white, &result));
  g_assert_cmpfloat (rl_color_contrast (&result, &white), >=, 4.5);
  g_assert_cmpfloat (result.green, <, emerald.green);
  g_assert_false (rl_color_legible_on (&emerald, &dark_surface, &result));
  g_assert_true (rl_color_legible_on (&navy, &dark_surface, &result));
  g_assert_cmpfloat (rl_color_contrast (&result, &dark_surface), >=, 4.5);
  g_assert_cmpfloat (result.red, >, navy.red);
}

typedef struct
{
  GSettings *settings;
  RlSession *session;
  RlBranding *branding;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  f->settings = g_settings_new ("org.ringline.Ringline");
  f->session = rl_session_new (f->settings);
  f->branding = rl_branding_new (f->settings, f->session);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_settings_reset (f->settings, "theme");
  g_clear_object (&f->branding);
  g_clear_object (&f->session);
  g_clear_object (&f->settings);
}

static const char *
theme_string (Fixture *f, const char *key)
{
  const char *value = NULL;

  g_variant_lookup (rl_branding_get_theme (f->branding), key, "&s", &value);
  return value;
}

static void
refused (Fixture *f, const char *theme_text, const char *names)
{
  g_autoptr (GVariant) theme = g_variant_ref_sink (g_variant_new_parsed (theme_text));
  g_autoptr (GVariant) before = g_variant_ref (rl_branding_get_theme (f->branding));
  g_autoptr (GError) error = NULL;

  g_assert_false (rl_branding_set_theme (f->branding, theme, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, names));
  g_assert_true (g_variant_equal (before, rl_branding_get_theme (f->branding)));
}

static void
test_set_theme (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;
  g_autofree const char **adjusted = NULL;

  g_assert_cmpstr (theme_string (f, "brand_name"), ==, "");
  g_assert_null (rl_branding_dup_css (f->branding, FALSE));
  refused (f, "{'brandName': <'Acme'>}", "brandName");
  refused (f, "{'brand_name': <42>}", "brand_name");
  refused (f, "{'primary_color': <'indigo'>}", "primary_color");
  refused (f, "{'style': <'purple'>}", "style");
  refused (f, "{'brand_logo': <'logo.png'>}", "brand_logo");

  g_assert_true (rl_branding_set_theme (
    f->branding,
    g_variant_new_parsed ("{'brand_name': <'Acme Corp'>, 'primary_color': <'#6366f1'>, "
                          "'style': <'dark'>}"),
    &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rl_branding_get_brand_name (f->branding), ==, "Acme Corp");
  g_assert_cmpstr (rl_branding_get_style (f->branding), ==, "dark");
  g_assert_true (
    g_variant_lookup (rl_branding_get_theme (f->branding), "adjusted", "^a&s", &adjusted));
  g_assert_true (g_strv_contains (adjusted, "primary_color"));
  light = rl_branding_dup_css (f->branding, FALSE);
  dark = rl_branding_dup_css (f->branding, TRUE);
  g_assert_nonnull (strstr (light, "@define-color accent_bg_color #"));
  g_assert_nonnull (strstr (light, "@define-color accent_fg_color #ffffff;"));
  g_assert_cmpstr (light, !=, dark);

  /* Keys merge; an empty one is dropped. */
  g_assert_true (
    rl_branding_set_theme (f->branding, g_variant_new_parsed ("{'brand_name': <''>}"), &error));
  g_assert_cmpstr (rl_branding_get_brand_name (f->branding), ==, "");
  g_assert_cmpstr (theme_string (f, "primary_color"), ==, "#6366f1");
}

static gboolean
has_logo (gpointer data)
{
  return rl_branding_get_logo (data) != NULL;
}

static void
write_file (const char *path, const char *data, gsize len)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, data, len, &error));
  g_assert_no_error (error);
}

static void
set_logo (Fixture *f, const char *path)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (rl_branding_set_theme (
    f->branding, g_variant_new_parsed ("{'brand_logo': <%s>}", path), &error));
  g_assert_no_error (error);
}

/* A local logo is read off the main loop; no image, or more than 1 MiB, is
 * refused with a warning and no logo. */
static void
test_logo_file (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = g_dir_make_tmp ("ringline-logo-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "logo.png", NULL);
  g_autofree char *text = g_build_filename (dir, "logo.txt", NULL);
  g_autofree char *huge = g_build_filename (dir, "huge.png", NULL);
  g_autofree char *big = g_malloc0 (2 * 1024 * 1024);

  write_file (png, "\x89PNG\r\n\x1a\n and the rest", 22);
  write_file (text, "hello", 5);
  memcpy (big, "\x89PNG\r\n\x1a\n", 8);
  write_file (huge, big, 2 * 1024 * 1024);

  set_logo (f, png);
  g_assert_true (rl_test_wait (has_logo, f->branding, 5));
  g_assert_cmpuint (g_bytes_get_size (rl_branding_get_logo (f->branding)), ==, 22);

  g_test_expect_message ("RlBranding", G_LOG_LEVEL_WARNING, "*is not a PNG, JPEG or SVG*");
  set_logo (f, text);
  g_assert_null (rl_branding_get_logo (f->branding));
  rl_test_sleep (300);
  g_test_assert_expected_messages ();
  g_assert_null (rl_branding_get_logo (f->branding));

  g_test_expect_message ("RlBranding", G_LOG_LEVEL_WARNING, "*at most 1 MiB*");
  set_logo (f, huge);
  rl_test_sleep (500);
  g_test_assert_expected_messages ();
  g_assert_null (rl_branding_get_logo (f->branding));
  g_assert_cmpint (g_remove (png), ==, 0);
  g_assert_cmpint (g_remove (text), ==, 0);
  g_assert_cmpint (g_remove (huge), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  rl_test_setup_env ();
  g_test_add_func ("/branding/parse", test_parse);
  g_test_add_func ("/branding/contrast", test_contrast);
  g_test_add_func ("/branding/fill", test_fill);
  g_test_add_func ("/branding/legible", test_legible);
  g_test_add ("/branding/set-theme", Fixture, NULL, setup, test_set_theme, teardown);
  g_test_add ("/branding/logo-file", Fixture, NULL, setup, test_logo_file, teardown);
  return g_test_run ();
}
