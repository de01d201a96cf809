"""Fill in a workbook through LibreOffice Calc itself, as a Dutch user would: run with the system Python that has
LibreOffice's ``uno`` module (Debian: python3-uno), never with the project's venv.

    /usr/bin/python3 tests/lo_fill.py STEPS.json

STEPS.json: ``{"source": path, "targets": {"xlsx": path, "ods": path}, "steps": [...]}`` where a step is
``["type", sheet, cell, text]`` (typed into the cell through the dispatcher, ``.uno:EnterString``: Calc's own
input parsing under the nl-NL locale, with its data validation), ``["paste", sheet, cell, text]`` (typed after
switching the cell's validation off, as pasting does), ``["inspect", sheet, cell]`` (the validation and
protection Calc sees on the cell), ``["rename", old, new]``, ``["insert_row", sheet, row]``
(the sheet is unprotected first, as a user has to). Prints a JSON line with what Calc made of each typed cell.

LibreOffice runs headless with a throw-away profile whose locale is nl-NL, and is stopped at the end.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue

NL_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>nl-NL</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale" oor:op="fuse"><value>nl-NL</value></prop></item>
</oor:items>
"""


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(spec_path):
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    tmp = Path(tempfile.mkdtemp(prefix="imw-uno-"))
    user = tmp / "profiel" / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(NL_PROFILE, encoding="utf-8")
    pipe = f"imw{os.getpid()}"
    soffice = subprocess.Popen(
        ["soffice", f"-env:UserInstallation={(tmp / 'profiel').as_uri()}", "--headless", "--invisible",
         "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ | {"HOME": str(tmp)})
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + 60
        while True:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 - not listening yet
                if time.monotonic() > deadline or soffice.poll() is not None:
                    raise SystemExit("LibreOffice did not start")
                time.sleep(0.3)
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        doc = desktop.loadComponentFromURL(Path(spec["source"]).resolve().as_uri(), "_blank", 0, ())
        controller = doc.getCurrentController()
        frame = controller.getFrame()
        typed = {}
        for step in spec["steps"]:
            if step[0] in ("type", "paste"):
                _, sheet_name, address, text = step
                sheet = doc.Sheets.getByName(sheet_name)
                cell = sheet.getCellRangeByName(address)
                if step[0] == "paste":
                    validation = cell.Validation
                    validation.ShowErrorMessage = False
                    cell.Validation = validation
                controller.setActiveSheet(sheet)
                controller.select(cell)
                dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, (prop("StringName", text),))
                kind = cell.getType().value  # EMPTY, VALUE, TEXT, FORMULA
                typed[f"{sheet_name}!{address}"] = {"type": kind, "value": cell.getValue(), "string": cell.getString()}
            elif step[0] == "inspect":  # what Calc itself made of the cell's validation and protection
                _, sheet_name, address = step
                sheet = doc.Sheets.getByName(sheet_name)
                cell = sheet.getCellRangeByName(address)
                v = cell.Validation
                typed[f"inspect {sheet_name}!{address}"] = {
                    "type": v.Type.value, "show_error": bool(v.ShowErrorMessage), "show_input": bool(v.ShowInputMessage),
                    "error": v.ErrorMessage, "input": v.InputMessage, "alert": v.ErrorAlertStyle.value,
                    "locked": bool(cell.CellProtection.IsLocked), "sheet_protected": bool(sheet.isProtected())}
            elif step[0] == "rename":
                doc.Sheets.getByName(step[1]).setName(step[2])
            elif step[0] == "insert_row":
                sheet = doc.Sheets.getByName(step[1])
                sheet.unprotect("")
                sheet.getRows().insertByIndex(int(step[2]) - 1, 1)
        filters = {"xlsx": "Calc Office Open XML", "ods": "calc8"}
        for fmt, target in spec["targets"].items():
            doc.storeToURL(Path(target).resolve().as_uri(), (prop("FilterName", filters[fmt]),))
        doc.close(True)
        print(json.dumps(typed))
    finally:
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - already gone
            pass
        try:
            soffice.wait(timeout=20)
        except subprocess.TimeoutExpired:
            soffice.kill()
            soffice.wait()


if __name__ == "__main__":
    main(sys.argv[1])
