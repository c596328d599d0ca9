"""The XMP identification of a tagged PDF: PDF/UA-1 (``pdfuaid``) with the PDF/A extension
schema that declares it, so that a PDF/A validator accepts the property too."""

from __future__ import annotations

from xml.sax.saxutils import escape

CREATOR = "seal_app – Gütesiegel „Sicherheit macht Schule“"
PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"

# ISO 19005-2, 6.6.2.3.2: a schema outside XMP's own must be described in the file.
PDFUA_EXTENSION = """<rdf:Description rdf:about=""
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
"""


def pdfua_descriptions(producer: str) -> str:
    """``rdf:Description`` elements naming PDF/UA-1 and the producer, to go into ``rdf:RDF``."""
    return (
        f'<rdf:Description rdf:about="" xmlns:pdfuaid="{PDFUA_NS}">'
        "<pdfuaid:part>1</pdfuaid:part></rdf:Description>\n"
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        f"<pdf:Producer>{escape(producer)}</pdf:Producer></rdf:Description>\n" + PDFUA_EXTENSION
    )


def packet(title: str, author: str, subject: str, producer: str) -> bytes:
    """A whole XMP packet for a tagged PDF that is not PDF/A: title, author, subject,
    creator tool, producer and the PDF/UA-1 identification."""
    body = (
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt>'
        "</dc:title>"
        f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(subject)}</rdf:li>'
        "</rdf:Alt></dc:description></rdf:Description>\n"
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"<xmp:CreatorTool>{escape(CREATOR)}</xmp:CreatorTool></rdf:Description>\n"
        + pdfua_descriptions(producer)
    )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f"{body}</rdf:RDF></x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()
