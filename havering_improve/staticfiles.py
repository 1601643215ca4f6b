"""The static files a release collects: every file under a name with its content's hash, so a
browser may keep it for a year, and a page of a new release never runs an old script."""

from django.contrib.staticfiles.storage import HashedFilesMixin
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Django's patterns for a JavaScript module's `import … from "./x.mjs";` and `import("./x.mjs")`.
_JS_MODULE_IMPORTS = HashedFilesMixin._js_module_import_aggregation_patterns[1]


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage, with the names a JavaScript module imports
    rewritten to the hashed ones too (in .mjs files as in .js), so the hashed app.mjs loads
    the hashed GOV.UK Frontend, open-target and timeout-warning modules, never the unhashed
    names that are cached for only a minute and may belong to another release."""

    support_js_module_import_aggregation = True
    patterns = CompressedManifestStaticFilesStorage.patterns + (("*.mjs", _JS_MODULE_IMPORTS),)
