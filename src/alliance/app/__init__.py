"""The Solara app: ``page`` (the thin UI) over ``state`` (UI-free), ``figures``, ``files`` and
``assets`` (the front-end files Solara needs offline)."""
