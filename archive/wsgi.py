import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
application = get_wsgi_application()

# What a worker has loaded by now lives as long as the worker: out of the cyclic garbage
# collector's reach, its full collections walk the requests' objects only. Without this, one
# request in a few hundred paid a 30 ms pause for scanning ~90,000 objects of Django, the apps
# and their modules (measured in the search bench, which does the same).
gc.freeze()
