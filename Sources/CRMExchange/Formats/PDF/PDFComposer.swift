import CPangoCairo
import CRMCore
import Foundation

/// Why a PDF could not be made: cairo's own message, or an image that is not a PNG.
public struct PDFError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// A font style of the documents: DejaVu Sans (the Debian package fonts-dejavu-core) at `size`
/// points, bold or not. cairo embeds the subset of glyphs a document uses.
struct PDFStyle {
  enum Align { case left, center, right }
  var size: Double = 9
  var bold = false
  var align: Align = .left

  static let family = "DejaVu Sans"
  static let body = PDFStyle()
  static let small = PDFStyle(size: 7)
  static let bold = PDFStyle(bold: true)
}

/// Text laid out by pango at a fixed width: wrapped at word boundaries (a word wider than the
/// width is broken between letters), shaped, aligned. Its size is known before it is drawn.
final class PDFText {
  let layout: OpaquePointer
  let width: Double
  let height: Double
  /// The width the widest line takes (less than `width` for short text).
  let inkWidth: Double

  init(_ text: String, width: Double, style: PDFStyle, context: OpaquePointer) {
    layout = pango_layout_new(context)
    let font = pango_font_description_new()
    pango_font_description_set_family(font, PDFStyle.family)
    pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
    pango_font_description_set_absolute_size(font, style.size * Double(crm_pango_scale()))
    pango_layout_set_font_description(layout, font)
    pango_font_description_free(font)
    pango_layout_set_width(layout, Int32(max(1, width) * Double(crm_pango_scale())))
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
    switch style.align {
    case .left: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
    case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
    case .right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
    }
    // Control characters would show as boxes; a document's text is one paragraph per call.
    let clean = String(
      String.UnicodeScalarView(
        text.unicodeScalars.map { $0.value < 0x20 && $0 != "\n" ? " " : $0 }))
    pango_layout_set_text(layout, clean, -1)
    var ink = PangoRectangle()
    var logical = PangoRectangle()
    pango_layout_get_extents(layout, &ink, &logical)
    let scale = Double(crm_pango_scale())
    self.width = width
    height = text.isEmpty ? 0 : Double(logical.height) / scale
    inkWidth = Double(logical.width) / scale
  }

  deinit { g_object_unref(UnsafeMutableRawPointer(layout)) }

  func draw(_ cr: OpaquePointer, x: Double, y: Double) {
    cairo_move_to(cr, x, y)
    pango_cairo_show_layout(cr, layout)
  }
}

/// A PNG image (logo, stamp, signature) decoded by cairo.
final class PDFImage {
  let surface: OpaquePointer
  let width: Double
  let height: Double

  private final class Reader {
    let data: Data
    var offset = 0
    init(_ data: Data) { self.data = data }
  }

  /// Decodes `png`; nil when it is not a PNG cairo can read.
  init?(png: Data) {
    guard png.starts(with: [0x89, 0x50, 0x4E, 0x47]) else { return nil }
    let reader = Reader(png)
    let box = Unmanaged.passRetained(reader)
    defer { box.release() }
    let read: cairo_read_func_t = { closure, out, length in
      guard let closure, let out else { return CAIRO_STATUS_READ_ERROR }
      let r = Unmanaged<Reader>.fromOpaque(closure).takeUnretainedValue()
      let n = Int(length)
      guard r.offset + n <= r.data.count else { return CAIRO_STATUS_READ_ERROR }
      r.data.copyBytes(to: out, from: r.offset..<(r.offset + n))
      r.offset += n
      return CAIRO_STATUS_SUCCESS
    }
    guard let s = cairo_image_surface_create_from_png_stream(read, box.toOpaque()) else {
      return nil
    }
    guard cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else {
      cairo_surface_destroy(s)
      return nil
    }
    surface = s
    width = Double(cairo_image_surface_get_width(s))
    height = Double(cairo_image_surface_get_height(s))
    guard width > 0, height > 0 else {
      cairo_surface_destroy(s)
      return nil
    }
  }

  deinit { cairo_surface_destroy(surface) }

  /// Draws the image scaled to fit in the box `w`×`h` (keeping its proportions) at its top left
  /// (`alignRight`: at its top right). Returns the size drawn.
  @discardableResult
  func draw(
    _ cr: OpaquePointer, x: Double, y: Double, w: Double, h: Double, alignRight: Bool = false
  ) -> (Double, Double) {
    let k = min(w / width, h / height)
    let dx = alignRight ? x + w - width * k : x
    cairo_save(cr)
    cairo_translate(cr, dx, y)
    cairo_scale(cr, k, k)
    cairo_set_source_surface(cr, surface, 0, 0)
    cairo_paint(cr)
    cairo_restore(cr)
    return (width * k, height * k)
  }
}

/// Something placed on a page as a whole: its height, and how to draw it with its top at y.
struct PDFBlock {
  var height: Double
  var draw: (OpaquePointer, Double) -> Void

  static func space(_ h: Double) -> PDFBlock { PDFBlock(height: h) { _, _ in } }
}

/// Lays out a document on A4 pages in PDF through cairo, text through pango. Blocks flow down
/// the page and go to the next page when they do not fit; tables repeat their header row on
/// every page; a group of blocks can be kept together (totals, signatures and stamp). Pages are
/// recorded first and drawn at the end, so every page can say «Страница 1 из 3».
final class PDFComposer {
  /// A4 in points (1/72 inch).
  static let pageWidth = 595.28
  static let pageHeight = 841.89
  /// Millimetres in points.
  static func mm(_ v: Double) -> Double { v * 72 / 25.4 }

  // Russian forms keep 20 mm on the left for filing, 10 mm on the right.
  let left = mm(20)
  let right = pageWidth - mm(10)
  let top = mm(12)
  /// The lowest point content may reach; the page number is below it.
  let bottom = pageHeight - mm(16)
  var width: Double { right - left }

  private let surface: OpaquePointer
  private let cr: OpaquePointer
  let context: OpaquePointer
  private let sink: Sink
  private let sinkBox: Unmanaged<Sink>
  private(set) var pages: [[(OpaquePointer) -> Void]] = [[]]
  /// The top of the next block on the current page.
  private(set) var y: Double

  private final class Sink {
    var data = Data()
  }

  /// `day` (`YYYY-MM-DD`): the creation date written instead of the moment of printing, so
  /// one document always prints to the same bytes.
  init(title: String, author: String, day: String = "") throws(PDFError) {
    sink = Sink()
    sinkBox = Unmanaged.passRetained(sink)
    let write: cairo_write_func_t = { closure, bytes, length in
      guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
      Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(
        bytes, count: Int(length))
      return CAIRO_STATUS_SUCCESS
    }
    guard
      let s = cairo_pdf_surface_create_for_stream(
        write, sinkBox.toOpaque(), Self.pageWidth, Self.pageHeight)
    else {
      sinkBox.release()
      throw PDFError("cairo: no PDF surface")
    }
    surface = s
    guard let c = cairo_create(s) else {
      cairo_surface_destroy(s)
      sinkBox.release()
      throw PDFError("cairo: no drawing context")
    }
    cr = c
    cairo_pdf_surface_restrict_to_version(s, CAIRO_PDF_VERSION_1_5)
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title)
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "TermCRM")
    if !author.isEmpty { cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, author) }
    if day.count == 10 {
      cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, day + "T00:00:00Z")
    }
    context = pango_cairo_create_context(c)
    // Positions as the font designs them, not rounded to whole pixels of a screen.
    pango_context_set_round_glyph_positions(context, 0)
    let options = cairo_font_options_create()
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
    pango_cairo_context_set_font_options(context, options)
    cairo_font_options_destroy(options)
    y = top
  }

  deinit {
    g_object_unref(UnsafeMutableRawPointer(context))
    cairo_destroy(cr)
    cairo_surface_destroy(surface)
    sinkBox.release()
  }

  // MARK: Measuring

  func text(_ s: String, width: Double, _ style: PDFStyle = .body) -> PDFText {
    PDFText(s, width: width, style: style, context: context)
  }

  /// A paragraph across the page (or `width` from `x`), with `after` points below it.
  func paragraph(
    _ s: String, _ style: PDFStyle = .body, x: Double? = nil, width: Double? = nil,
    after: Double = 3
  ) -> PDFBlock {
    let x0 = x ?? left
    let t = text(s, width: width ?? (right - x0), style)
    return PDFBlock(height: t.height + after) { cr, y in t.draw(cr, x: x0, y: y) }
  }

  // MARK: Placing

  var room: Double { bottom - y }
  var atTop: Bool { y <= top + 0.01 }

  func newPage() {
    pages.append([])
    y = top
  }

  /// Places `b` at the current point, first going to a new page when it does not fit (unless
  /// the page is empty: a block taller than a page is drawn and clipped by the page).
  func add(_ b: PDFBlock) {
    if b.height > room && !atTop { newPage() }
    let at = y
    let draw = b.draw
    pages[pages.count - 1].append { cr in draw(cr, at) }
    y += b.height
  }

  /// Places the blocks one under another on the same page.
  func keepTogether(_ blocks: [PDFBlock]) {
    add(stack(blocks))
  }

  /// The blocks one under another as one block.
  func stack(_ blocks: [PDFBlock]) -> PDFBlock {
    PDFBlock(height: blocks.reduce(0) { $0 + $1.height }) { cr, y in
      var at = y
      for b in blocks {
        b.draw(cr, at)
        at += b.height
      }
    }
  }

  // MARK: Tables

  struct Column {
    var width: Double
    var align: PDFStyle.Align = .left
  }

  /// One row of a table as a block: cells wrapped in their columns, `pad` points inside each,
  /// thin borders round every cell.
  func row(
    _ cells: [String], columns: [Column], x: Double? = nil, style: PDFStyle = .body,
    headerRow: Bool = false, borders: Bool = true, pad: Double = 2.5
  ) -> PDFBlock {
    let x0 = x ?? left
    var texts: [PDFText] = []
    for (i, c) in columns.enumerated() {
      var s = style
      s.align = headerRow ? .center : c.align
      if headerRow { s.bold = true }
      texts.append(text(i < cells.count ? cells[i] : "", width: c.width - 2 * pad, s))
    }
    let h = (texts.map(\.height).max() ?? 0) + 2 * pad
    return PDFBlock(height: h) { cr, y in
      var cx = x0
      for (i, c) in columns.enumerated() {
        if headerRow {
          cairo_set_source_rgb(cr, 0.93, 0.93, 0.93)
          cairo_rectangle(cr, cx, y, c.width, h)
          cairo_fill(cr)
          cairo_set_source_rgb(cr, 0, 0, 0)
        }
        texts[i].draw(cr, x: cx + pad, y: y + pad)
        if borders {
          cairo_set_line_width(cr, 0.5)
          cairo_rectangle(cr, cx, y, c.width, h)
          cairo_stroke(cr)
        }
        cx += c.width
      }
    }
  }

  /// A table whose header row is drawn again at the top of every page it continues on. A row is
  /// never split between pages.
  func table(header: [String], rows: [[String]], columns: [Column]) {
    let head = row(header, columns: columns, headerRow: true)
    let body = rows.map { row($0, columns: columns) }
    // The header never ends a page alone.
    add(stack([head] + (body.first.map { [$0] } ?? [])))
    for b in body.dropFirst() {
      if b.height > room {
        newPage()
        add(head)
      }
      add(b)
    }
  }

  // MARK: Drawing helpers

  static func line(
    _ cr: OpaquePointer, _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double,
    width: Double = 0.5
  ) {
    cairo_set_line_width(cr, width)
    cairo_move_to(cr, x1, y1)
    cairo_line_to(cr, x2, y2)
    cairo_stroke(cr)
  }

  // MARK: Finishing

  /// Draws every page with `footer(page, pages)` under its content and returns the PDF.
  func finish(footer: (Int, Int) -> String) throws(PDFError) -> Data {
    let n = pages.count
    for (i, page) in pages.enumerated() {
      cairo_set_source_rgb(cr, 0, 0, 0)
      for op in page { op(cr) }
      let f = text(footer(i + 1, n), width: width, PDFStyle(size: 7, align: .right))
      f.draw(cr, x: left, y: bottom + Self.mm(5))
      cairo_show_page(cr)
    }
    cairo_surface_finish(surface)
    let status = cairo_surface_status(surface)
    guard status == CAIRO_STATUS_SUCCESS else {
      throw PDFError("cairo: " + String(cString: cairo_status_to_string(status)))
    }
    return sink.data
  }
}
