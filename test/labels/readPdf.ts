import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

/** One piece of text as a PDF reader sees it, in points from the page's top-left corner. */
export interface PdfTextItem {
  page: number
  str: string
  x: number
  /** The baseline. */
  y: number
  width: number
  /** Font size. */
  size: number
}

/** Reads a PDF's pages and text with pdfjs-dist, as a PDF viewer or search would. */
export async function readPdf(data: Buffer | Uint8Array): Promise<{ pages: number; items: PdfTextItem[]; pageSizes: Array<{ width: number; height: number }> }> {
  const doc = await getDocument({ data: new Uint8Array(data), verbosity: 0 }).promise
  const items: PdfTextItem[] = []
  const pageSizes: Array<{ width: number; height: number }> = []
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p)
    const [, , width, height] = page.view as [number, number, number, number]
    pageSizes.push({ width, height })
    const content = await page.getTextContent()
    for (const it of content.items) {
      if (!('str' in it) || it.str.trim() === '') continue
      const [a, b, , , e, f] = it.transform as number[]
      items.push({ page: p - 1, str: it.str, x: e!, y: height - f!, width: it.width, size: Math.hypot(a!, b!) })
    }
  }
  await doc.destroy()
  return { pages: pageSizes.length, items, pageSizes }
}
