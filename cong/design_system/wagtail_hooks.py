from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def admin_csp_initialiser():
    return format_html('<script src="{}" defer></script>', static("design_system/js/admin-csp.js"))
