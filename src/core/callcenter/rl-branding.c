/* rl-branding.c
 *
 * Two sources, one theme: the backend's session may carry the call
 * center's brand ("branding": brand_name, brand_logo, primary_color,
 * accent_color, style), and a host may set its own (SetTheme, kept in the
 * setting "theme"); what the host sets wins, key by key. The colours are
 * kept legible: the primary colour fills buttons, so it moves towards black
 * or white until their text reads on it at 4.5:1; the accent is text, so it
 * gets a variant for the light style and one for the dark, each at 4.5:1 on
 * its background. The logo (a local file or an http(s) address fetched once
 * and cached) is read without blocking, at most 1 MiB, PNG, JPEG or SVG.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlBranding"

#include "rl-branding.h"
#include "rl-color.h"
#include "rl-error.h"

#include <errno.h>
#include <libsoup/soup.h>
#include <string.h>

#define MAX_LOGO_BYTES (1024 * 1024)
#define MAX_NAME_CHARS 100
#define MAX_LOGO_REF 2048
#define FETCH_TIMEOUT_SECONDS 15

static const char *const theme_keys[]
  = { "brand_name", "brand_logo", "primary_color", "accent_color", "style", NULL };

/* What the accent text is checked against: libadwaita's lightest surfaces
 * in each style (cards and popovers). */
static const RlColor light_surface = { 1, 1, 1 };
static const RlColor dark_surface = { 0x38 / 255.0, 0x38 / 255.0, 0x38 / 255.0 };

struct _RlBranding
{
  GObject parent_instance;

  GSettings *settings;
  RlSession *session;
  SoupSession *http;
  GCancellable *logo_cancellable;
  GVariant *theme; /* a{sv}, never floating */
  char *brand_name;
  char *style;
  char *logo_ref; /* the brand_logo the logo comes from */
  GBytes *logo;
  char *css_light;
  char *css_dark;
};

G_DEFINE_FINAL_TYPE (RlBranding, rl_branding, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_THEME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update (RlBranding *self);

/* ---- validation ---- */

static gboolean
is_logo_ref (const char *ref)
{
  return *ref == '\0' || g_str_has_prefix (ref, "https://") || g_str_has_prefix (ref, "http://")
         || g_str_has_prefix (ref, "file:///") || g_path_is_absolute (ref);
}

static gboolean
check_entry (const char *key, GVariant *value, GError **error)
{
  const char *text;
  RlColor color;
  g_autoptr (GError) bad = NULL;

  if (!g_strv_contains (theme_keys, key))
    return g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                        "%s: not a theme key (brand_name, brand_logo, primary_color, "
                        "accent_color, style)",
                        key),
           FALSE;
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "%s: a string is needed", key),
           FALSE;
  text = g_variant_get_string (value, NULL);
  if (g_str_equal (key, "brand_name") && g_utf8_strlen (text, -1) > MAX_NAME_CHARS)
    return g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                        "brand_name: longer than %d characters", MAX_NAME_CHARS),
           FALSE;
  if (g_str_equal (key, "brand_logo") && (strlen (text) > MAX_LOGO_REF || !is_logo_ref (text)))
    return g_set_error_literal (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                                "brand_logo: an http(s) address, a file: URI or an absolute "
                                "path is needed"),
           FALSE;
  if (g_str_has_suffix (key, "_color") && *text && !rl_color_parse (text, &color, &bad))
    return g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "%s: %s", key, bad->message),
           FALSE;
  if (g_str_equal (key, "style") && *text
      && !g_strv_contains ((const char *const[]){ "default", "light", "dark", NULL }, text))
    return g_set_error_literal (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                                "style: default, light or dark"),
           FALSE;
  return TRUE;
}

/* ---- the logo ---- */

static gboolean
is_image (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autofree char *head = g_strndup (data, MIN (len, 512));

  if (len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return TRUE;
  if (len >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return TRUE;
  return strstr (head, "<svg") != NULL;
}

/* For logs: an address without its query, which may carry a signature. */
static char *
loggable (const char *ref)
{
  return g_strndup (ref, strcspn (ref, "?#"));
}

static char *
cache_path (const char *ref)
{
  g_autofree char *name = g_compute_checksum_for_string (G_CHECKSUM_SHA256, ref, -1);

  return g_build_filename (g_get_user_cache_dir (), "ringline", "logos", name, NULL);
}

static void
save_in_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  g_autofree char *path = cache_path (g_object_get_data (G_OBJECT (task), "ref"));
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GError) error = NULL;
  gsize len;
  const char *bytes = g_bytes_get_data (data, &len);

  if (g_mkdir_with_parents (dir, 0700) != 0 || !g_file_set_contents (path, bytes, len, &error))
    g_warning ("Could not cache the brand logo: %s", error ? error->message : g_strerror (errno));
  g_task_return_boolean (task, TRUE);
}

static void
save_to_cache (RlBranding *self, const char *ref, GBytes *logo)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, NULL, NULL);

  g_object_set_data_full (G_OBJECT (task), "ref", g_strdup (ref), g_free);
  g_task_set_task_data (task, g_bytes_ref (logo), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, save_in_thread);
}

typedef struct
{
  RlBranding *self;
  char *ref;
  gboolean fetched; /* from the network: worth caching */
} LogoLoad;

static void
logo_load_free (LogoLoad *load)
{
  g_object_unref (load->self);
  g_free (load->ref);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LogoLoad, logo_load_free)

static void fetch_logo (LogoLoad *load);

static void
set_logo (RlBranding *self, GBytes *logo)
{
  g_clear_pointer (&self->logo, g_bytes_unref);
  self->logo = logo ? g_bytes_ref (logo) : NULL;
  update (self);
}

static void
on_logo_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (LogoLoad) load = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *shown = loggable (load->ref);

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error) < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("The brand logo %s could not be read (at most 1 MiB): %s", shown,
                   error->message);
      return;
    }
  /* Read, but another logo was asked for meanwhile. */
  if (g_strcmp0 (load->ref, load->self->logo_ref) != 0)
    return;
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (source));
  if (!is_image (bytes))
    {
      g_warning ("The brand logo %s is not a PNG, JPEG or SVG image", shown);
      return;
    }
  if (load->fetched)
    save_to_cache (load->self, load->ref, bytes);
  set_logo (load->self, bytes);
}

/* Into memory, refused past MAX_LOGO_BYTES: the stream cannot grow. */
static void
read_logo (LogoLoad *load, GInputStream *in)
{
  g_autoptr (GOutputStream) out
    = g_memory_output_stream_new (g_malloc (MAX_LOGO_BYTES), MAX_LOGO_BYTES, NULL, g_free);

  g_output_stream_splice_async (
    out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
    G_PRIORITY_DEFAULT, load->self->logo_cancellable, on_logo_read, load);
}

static void
on_fetched (GObject *source, GAsyncResult *result, gpointer data)
{
  LogoLoad *load = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) in = soup_session_send_finish (SOUP_SESSION (source), result, &error);

  if (in && soup_message_get_status (msg) != SOUP_STATUS_OK)
    g_set_error (&error, RL_ERROR, RL_ERROR_FAILED, "HTTP %u", soup_message_get_status (msg));
  if (error)
    {
      g_autofree char *shown = loggable (load->ref);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("The brand logo %s could not be fetched: %s", shown, error->message);
      logo_load_free (load);
      return;
    }
  read_logo (load, in);
}

static void
fetch_logo (LogoLoad *load)
{
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", load->ref);

  if (msg == NULL)
    {
      g_warning ("The brand logo's address is not valid");
      logo_load_free (load);
      return;
    }
  load->fetched = TRUE;
  soup_session_send_async (load->self->http, msg, G_PRIORITY_DEFAULT, load->self->logo_cancellable,
                           on_fetched, load);
}

static void
on_file_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  LogoLoad *load = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileInputStream) in = g_file_read_finish (G_FILE (source), result, &error);

  if (in)
    read_logo (load, G_INPUT_STREAM (in));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    logo_load_free (load);
  else if (g_str_has_prefix (load->ref, "http"))
    fetch_logo (load); /* not cached yet */
  else
    {
      g_warning ("The brand logo %s could not be opened: %s", load->ref, error->message);
      logo_load_free (load);
    }
}

static void
load_logo (RlBranding *self, const char *ref)
{
  LogoLoad *load;
  g_autoptr (GFile) file = NULL;
  g_autofree char *cached = NULL;

  if (g_strcmp0 (ref, self->logo_ref) == 0)
    return;
  g_cancellable_cancel (self->logo_cancellable);
  g_clear_object (&self->logo_cancellable);
  g_free (self->logo_ref);
  self->logo_ref = g_strdup (ref);
  g_clear_pointer (&self->logo, g_bytes_unref);
  if (*ref == '\0')
    return;
  self->logo_cancellable = g_cancellable_new ();
  load = g_new0 (LogoLoad, 1);
  load->self = g_object_ref (self);
  load->ref = g_strdup (ref);
  if (g_str_has_prefix (ref, "http"))
    file = g_file_new_for_path ((cached = cache_path (ref)));
  else
    file = g_str_has_prefix (ref, "file:") ? g_file_new_for_uri (ref) : g_file_new_for_path (ref);
  g_file_read_async (file, G_PRIORITY_DEFAULT, self->logo_cancellable, on_file_opened, load);
}

/* ---- the theme ---- */

/* The host's value for @key, else the backend's, else "". */
static const char *
lookup (RlBranding *self, GVariant *host, GVariant *backend, const char *key)
{
  const char *value = NULL;

  if (g_variant_lookup (host, key, "&s", &value) && *value)
    return value;
  if (backend && g_variant_lookup (backend, key, "&s", &value))
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GVariant) checked = g_variant_ref_sink (g_variant_new_string (value));

      if (check_entry (key, checked, &error))
        return value;
      g_warning ("The call center's branding is ignored where it is wrong: %s", error->message);
    }
  return "";
}

static char *
css_for (const RlColor *fill, const RlColor *fill_text, const RlColor *accent)
{
  g_autofree char *bg = rl_color_to_string (fill);
  g_autofree char *fg = rl_color_to_string (fill_text);
  g_autofree char *text = rl_color_to_string (accent);

  return g_strdup_printf ("@define-color accent_bg_color %s;\n"
                          "@define-color accent_fg_color %s;\n"
                          "@define-color accent_color %s;\n",
                          bg, fg, text);
}

/* Adds the legible colours to @b and the style sheets to self. */
static void
compute_colors (RlBranding *self, GVariantBuilder *b, const char *primary, const char *accent)
{
  RlColor base, fill = { 0 }, fill_text = { 1, 1, 1 }, text_base, light, dark;
  g_autofree char *fill_s = NULL, *fill_text_s = NULL, *light_s = NULL, *dark_s = NULL;
  GVariantBuilder adjusted;
  gboolean moved;
  gboolean have_fill = *primary && rl_color_parse (primary, &base, NULL);
  gboolean have_text = *accent && rl_color_parse (accent, &text_base, NULL);

  g_clear_pointer (&self->css_light, g_free);
  g_clear_pointer (&self->css_dark, g_free);
  if (!have_fill && !have_text)
    return;
  g_variant_builder_init (&adjusted, G_VARIANT_TYPE_STRING_ARRAY);
  if (!have_fill)
    base = text_base;
  if (rl_color_fill_for_text (&base, &fill, &fill_text) && have_fill)
    g_variant_builder_add (&adjusted, "s", "primary_color");
  if (!have_text)
    text_base = base;
  moved = rl_color_legible_on (&text_base, &light_surface, &light);
  moved = rl_color_legible_on (&text_base, &dark_surface, &dark) || moved;
  if (moved)
    g_variant_builder_add (&adjusted, "s", have_text ? "accent_color" : "primary_color");
  fill_s = rl_color_to_string (&fill);
  fill_text_s = rl_color_to_string (&fill_text);
  light_s = rl_color_to_string (&light);
  dark_s = rl_color_to_string (&dark);
  g_variant_builder_add (b, "{sv}", "accent_bg_color", g_variant_new_string (fill_s));
  g_variant_builder_add (b, "{sv}", "accent_fg_color", g_variant_new_string (fill_text_s));
  g_variant_builder_add (b, "{sv}", "accent_color_light", g_variant_new_string (light_s));
  g_variant_builder_add (b, "{sv}", "accent_color_dark", g_variant_new_string (dark_s));
  g_variant_builder_add (b, "{sv}", "adjusted", g_variant_builder_end (&adjusted));
  self->css_light = css_for (&fill, &fill_text, &light);
  self->css_dark = css_for (&fill, &fill_text, &dark);
}

/* Indexes into theme_keys. */
enum
{
  BRAND_NAME,
  BRAND_LOGO,
  PRIMARY_COLOR,
  ACCENT_COLOR,
  STYLE,
  N_KEYS
};

static void
update (RlBranding *self)
{
  g_autoptr (GVariant) host = g_settings_get_value (self->settings, "theme");
  g_autoptr (GVariant) backend = g_variant_lookup_value (rl_session_get_agent (self->session),
                                                         "branding", G_VARIANT_TYPE_VARDICT);
  g_autoptr (GVariant) theme = NULL;
  const char *values[N_KEYS];
  GVariantBuilder b;

  for (guint i = 0; i < N_KEYS; i++)
    values[i] = lookup (self, host, backend, theme_keys[i]);
  /* First: a new logo drops the old one before the theme says so. */
  load_logo (self, values[BRAND_LOGO]);
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; i < N_KEYS; i++)
    g_variant_builder_add (&b, "{sv}", theme_keys[i], g_variant_new_string (values[i]));
  g_variant_builder_add (&b, "{sv}", "logo_loaded", g_variant_new_boolean (self->logo != NULL));
  compute_colors (self, &b, values[PRIMARY_COLOR], values[ACCENT_COLOR]);
  g_free (self->brand_name);
  self->brand_name = g_strdup (values[BRAND_NAME]);
  g_free (self->style);
  self->style = g_strdup (*values[STYLE] ? values[STYLE] : "default");
  theme = g_variant_ref_sink (g_variant_builder_end (&b));
  if (self->theme && g_variant_equal (self->theme, theme))
    return;
  g_clear_pointer (&self->theme, g_variant_unref);
  self->theme = g_steal_pointer (&theme);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THEME]);
}

/* ---- public ---- */

/**
 * rl_branding_set_theme:
 * @theme: a{sv} of strings: brand_name, brand_logo, primary_color,
 *   accent_color, style; the keys given replace the host's earlier ones, an
 *   empty string drops one (the backend's shows again)
 *
 * Returns: %FALSE with #RL_ERROR_INVALID_ARGUMENT naming the first wrong key
 */
gboolean
rl_branding_set_theme (RlBranding *self, GVariant *theme, GError **error)
{
  g_autoptr (GVariant) old = NULL;
  g_autoptr (GHashTable) merged = g_hash_table_new (g_str_hash, g_str_equal);
  GVariantBuilder b;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_return_val_if_fail (RL_IS_BRANDING (self), FALSE);
  g_return_val_if_fail (g_variant_is_of_type (theme, G_VARIANT_TYPE_VARDICT), FALSE);

  g_variant_iter_init (&iter, theme);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    if (!check_entry (key, value, error))
      return FALSE;
  old = g_settings_get_value (self->settings, "theme");
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; theme_keys[i]; i++)
    {
      const char *text = NULL;

      if (!g_variant_lookup (theme, theme_keys[i], "&s", &text))
        g_variant_lookup (old, theme_keys[i], "&s", &text);
      if (text && *text)
        g_variant_builder_add (&b, "{sv}", theme_keys[i], g_variant_new_string (text));
    }
  g_settings_set_value (self->settings, "theme", g_variant_builder_end (&b));
  return TRUE;
}

/* Returns: (transfer none): a{sv}: the keys SetTheme takes as they apply,
 * logo_loaded, and with colours accent_bg_color, accent_fg_color,
 * accent_color_light, accent_color_dark and adjusted (the keys moved for
 * contrast) */
GVariant *
rl_branding_get_theme (RlBranding *self)
{
  g_return_val_if_fail (RL_IS_BRANDING (self), NULL);

  return self->theme;
}

/* Returns: the brand's name, "" for none */
const char *
rl_branding_get_brand_name (RlBranding *self)
{
  g_return_val_if_fail (RL_IS_BRANDING (self), NULL);

  return self->brand_name;
}

/* Returns: "default" (the desktop's), "light" or "dark" */
const char *
rl_branding_get_style (RlBranding *self)
{
  g_return_val_if_fail (RL_IS_BRANDING (self), NULL);

  return self->style;
}

/* Returns: (nullable) (transfer none): the logo's file contents, once read */
GBytes *
rl_branding_get_logo (RlBranding *self)
{
  g_return_val_if_fail (RL_IS_BRANDING (self), NULL);

  return self->logo;
}

/* Returns: (nullable): a style sheet over libadwaita's accent colours for
 * the light or the dark style, or %NULL when the brand sets no colour */
char *
rl_branding_dup_css (RlBranding *self, gboolean dark)
{
  g_return_val_if_fail (RL_IS_BRANDING (self), NULL);

  return g_strdup (dark ? self->css_dark : self->css_light);
}

/* ---- GObject ---- */

static void
rl_branding_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RlBranding *self = RL_BRANDING (object);

  switch (prop_id)
    {
    case PROP_THEME:
      g_value_set_variant (value, self->theme);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_branding_dispose (GObject *object)
{
  RlBranding *self = RL_BRANDING (object);

  g_cancellable_cancel (self->logo_cancellable);
  g_clear_object (&self->logo_cancellable);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->http);
  G_OBJECT_CLASS (rl_branding_parent_class)->dispose (object);
}

static void
rl_branding_finalize (GObject *object)
{
  RlBranding *self = RL_BRANDING (object);

  g_clear_pointer (&self->theme, g_variant_unref);
  g_clear_pointer (&self->logo, g_bytes_unref);
  g_free (self->brand_name);
  g_free (self->style);
  g_free (self->logo_ref);
  g_free (self->css_light);
  g_free (self->css_dark);
  G_OBJECT_CLASS (rl_branding_parent_class)->finalize (object);
}

static void
rl_branding_class_init (RlBrandingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = rl_branding_get_property;
  object_class->dispose = rl_branding_dispose;
  object_class->finalize = rl_branding_finalize;

  properties[PROP_THEME]
    = g_param_spec_variant ("theme", NULL, NULL, G_VARIANT_TYPE_VARDICT, NULL,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rl_branding_init (RlBranding *self)
{
  self->http = soup_session_new_with_options ("timeout", FETCH_TIMEOUT_SECONDS, NULL);
  self->logo_ref = g_strdup ("");
}

RlBranding *
rl_branding_new (GSettings *settings, RlSession *session)
{
  RlBranding *self = g_object_new (RL_TYPE_BRANDING, NULL);

  self->settings = g_object_ref (settings);
  self->session = g_object_ref (session);
  g_signal_connect_swapped (settings, "changed::theme", G_CALLBACK (update), self);
  g_signal_connect_swapped (session, "notify::agent", G_CALLBACK (update), self);
  update (self);
  return self;
}
