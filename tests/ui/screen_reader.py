"""Drive the real app through the Linux accessibility bus, as a screen reader does (run by the system's
python3 with pyatspi, inside dbus-run-session and xvfb-run; see test_screen_reader.py).

usage: screen_reader.py APP_PYTHON WORKBOOK HOME
Plans the week, moves a student with the Edit menu, hears the verdict break, undoes, hears it mend.
Prints each step; exits 0 when every step was heard, 1 with the step that failed.
"""

import os
import subprocess
import sys
import time

import pyatspi

running = None  # the app's process
PATIENCE = 240.0  # seconds before a step counts as failed: a hang guard for a busy machine, not a target


def wait_for(what, find):
    """Poll the bus until `find` returns something; the app updates asynchronously."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if running.poll() is not None:
            raise SystemExit(f"the app ended (exit {running.returncode}) before: {what}")
        try:
            found = find()
        except Exception as error:  # an object gone while we looked: look again
            print("looking again after", type(error).__name__, error, file=sys.stderr)
            found = None
        if found:
            return found
        time.sleep(0.2)
    raise SystemExit(f"not heard: {what}")


def app_named(name):
    for app in pyatspi.Registry.getDesktop(0):
        if app is not None and app.name.lower() == name:
            return app
    return None


def descendant(_, role, test):
    """Breadth first from the app, looked up afresh each time (an object fetched before the window showed keeps
    no children)."""
    queue = [app_named("rotation")]
    while queue:
        node = queue.pop(0)
        if node is None:
            continue
        if node.getRole() == role and test(node.name or ""):
            return node
        queue += [node.getChildAtIndex(i) for i in range(node.childCount)]
    return None


def press(node):
    action = node.queryAction()
    names = [action.getName(i) for i in range(action.nActions)]
    index = next((i for i, n in enumerate(names) if n.lower() in ("press", "click", "activate")), 0)
    action.doAction(index)


def verdict(app, start):
    label = descendant(app, pyatspi.ROLE_LABEL, lambda n: n.startswith("Verdict:"))
    return label if label is not None and label.name.startswith(f"Verdict: {start}") else None


def main(python, workbook, home):
    env = dict(os.environ, QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_QPA_PLATFORM="xcb",
               XDG_DATA_HOME=f"{home}/data", XDG_STATE_HOME=f"{home}/state", XDG_CONFIG_HOME=f"{home}/config")
    global running
    running = app_process = subprocess.Popen([python, "-m", "rotation", "app", workbook], env=env)
    try:
        app = wait_for("the app on the bus", lambda: app_named("rotation"))
        print("heard the app:", app.name)
        plan = wait_for("Plan week in the Plan menu", lambda: descendant(app, pyatspi.ROLE_MENU_ITEM,
                                                                         lambda n: n == "Plan week"))
        print("pressing:", plan.name)
        press(plan)
        print("heard:", wait_for("a plan that meets every rule", lambda: verdict(app, "Meets every hard rule")).name)
        group = wait_for("the first group's list", lambda: descendant(app, pyatspi.ROLE_LIST,
                                                                      lambda n: n.startswith("Group ")))
        wait_for("a student in it", lambda: group.childCount > 0)
        student = group.getChildAtIndex(0)
        group.querySelection().selectChild(0)
        print("selected:", student.name, "in", group.name)
        target = wait_for("Move to group 2 in the Edit menu",
                          lambda: descendant(app, pyatspi.ROLE_MENU_ITEM, lambda n: n.startswith("2 ")))
        print("pressing:", target.name)
        press(target)
        print("heard:", wait_for("the move break a rule", lambda: verdict(app, "Breaks")).name)
        undo = wait_for("Undo in the Edit menu",
                        lambda: descendant(app, pyatspi.ROLE_MENU_ITEM, lambda n: n.startswith("Undo Move")))
        print("pressing:", undo.name)
        press(undo)
        print("heard:", wait_for("the undo mend the plan", lambda: verdict(app, "Meets every hard rule")).name)
    finally:
        app_process.terminate()
        app_process.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
