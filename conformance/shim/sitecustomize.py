"""mpconform's Python shim, loaded through PYTHONPATH in every interpreter of a
case (spawn and forkserver children included, as they inherit the
environment).

- MP_TIME_SCALE scales time.sleep, so cases keep the document's sleeps;
- MP_START_METHOD becomes the default start method without fixing it, so a
  case may still call set_start_method() itself;
- MP_ALIAS names a module (billiard, multiprocess) that `import
  multiprocessing` gives instead of the standard library's.
"""
import os
import sys
import time


def _scale_sleep():
    try:
        scale = float(os.environ.get("MP_TIME_SCALE", "1"))
    except ValueError:
        return
    if scale == 1.0 or scale < 0:
        return
    real_sleep = time.sleep

    def sleep(secs):
        real_sleep(secs * scale)

    sleep.__doc__ = real_sleep.__doc__
    time.sleep = sleep


def _default_method():
    method = os.environ.get("MP_START_METHOD")
    if not method:
        return
    import multiprocessing.context as ctx
    # Replace the default concrete context, not the actual one: nothing is
    # fixed, so get_start_method(allow_none=True) still says None and
    # set_start_method() still works as in a plain interpreter.
    ctx._default_context._default_context = ctx._concrete_contexts[method]


_scale_sleep()
_default_method()
