-- Pages whose text came from OCR (issue 20): a scan, or a scanned page inside a digital PDF.
-- One row per OCR'd page with the engine that read it and its mean word confidence (0-1),
-- so evidence and the dashboard can say "OCR" beside a quote from such a page.
CREATE TABLE ocr_pages (
    sha256 VARCHAR NOT NULL,
    page INTEGER NOT NULL,
    engine VARCHAR NOT NULL,
    confidence DOUBLE NOT NULL,
    words INTEGER NOT NULL,
    PRIMARY KEY (sha256, page)
);
