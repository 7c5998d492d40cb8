"""Printed one-stop-shop forms (Circular 01/2018/TT-VPCP, Mẫu 01–05) as PDF: data in, bytes out.

The API lives in `egov.printing.onestop` (forms and `render_pdf`), `egov.printing.dates`
(Vietnamese dates) and `egov.printing.responses` (`pdf_response`). This package has no models
and imports no domain app.
"""
