// Course and lecture materials: documents to read and download.

export {};
