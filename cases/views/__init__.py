"""The register's pages: the case page's sections (sections.py), the lists and the photo
(read.py), the nominal's own forms (edit.py), the parts of the record (record.py), the
Co-ordinator's access decisions (access_decisions.py); what they share is base.py."""
