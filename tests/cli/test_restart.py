"""An answer given in a kernel survives a kernel restart (a real Jupyter kernel, not a simulation)."""

import os

from jupyter_client.manager import KernelManager


def _run(client, code: str) -> str:
    out = []

    def hook(msg):
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            out.append("\n".join(msg["content"]["traceback"]))
    reply = client.execute_interactive(code, output_hook=hook, timeout=120)
    assert reply["content"]["status"] == "ok", "".join(out)
    return "".join(out)


def test_answer_survives_kernel_restart(werkmap):
    km = KernelManager(kernel_name="python3")
    km.start_kernel(env=os.environ.copy() | {"IMWORKBOOK_HOME": str(werkmap)})
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        _run(client, "import imworkbook as iw\n"
                     "app = iw.vragenlijst('vo')\n"
                     "card = app.cards['visie.visie_schooldoelen']\n"
                     "card.current.value = 1\n"
                     "card.note.value = 'voor de herstart'\n")
        km.restart_kernel(now=True)
        client.wait_for_ready(timeout=60)
        assert _run(client, "print('imworkbook' in globals())").strip() == "False"  # really a fresh kernel
        out = _run(client, "import imworkbook as iw\n"
                           "a = iw.vragenlijst().session.answers.answer('visie.visie_schooldoelen')\n"
                           "print(a.current, a.note)")
        assert out.strip() == "1 voor de herstart"
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)
