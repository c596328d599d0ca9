"""Accessible, archivable PDFs: every document the app makes is tagged (PDF/UA-1), the records
(feedback letters, receipts) are PDF/A-2u as well.

``html`` lays out the text documents from HTML templates with WeasyPrint; ``marked`` tags
what reportlab draws (the certificate) and adds its structure tree with pikepdf; ``binding``
binds tagged PDFs into one and stamps a tagged overlay onto a tagged page; ``xmp`` writes the
identification both share."""
