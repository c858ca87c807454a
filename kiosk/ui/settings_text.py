"""What an installer reads about each setting: its name in English and Thai, Thai help,
human names for its choices, and when it is shown. One row per TOML key.

This table is the one place a new setting gets its words: add a row here when
you declare a key in kiosk/infra/config.py (a test fails for a declared key
without a row). A row for a key that is not declared (yet) is harmless: the
settings dialog and the wizard show only declared keys, so rows for keys that
other work adds later may come first.

Kept as data, not Qt translations: the keys come from kiosk/infra/config.py,
which has no Qt, and are read dynamically. The English help is declared with
the setting itself; the Thai help is here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.domain.errors import Text

SECTIONS: dict[str, Text] = {
    "gateway": Text("Payment gateway", "ระบบชำระเงิน"),
    "store": Text("Shop and counter", "ร้านและเครื่อง"),
    "printer": Text("Receipts and printer", "ใบเสร็จและเครื่องพิมพ์"),
    "ui": Text("Screen and sound", "หน้าจอและเสียง"),
    "advanced": Text("Advanced", "ขั้นสูง"),
}
# Which tab a TOML table sits on (any other table: Advanced).
TAB_OF_TABLE: dict[str, str] = {
    "gateway": "gateway",
    "store": "store",
    "printer": "printer",
    "receipt": "printer",
    "ui": "ui",
    "manager": "ui",  # the manager screen's lock is a screen setting
    "customer_display": "ui",
}

ESCPOS = ("network", "usb", "serial", "file")
VILLA = ("gateway.kind", ("villa",))
SANDBOX = ("gateway.kind", ("sandbox",))
PRINTING = ("printer.kind", (*ESCPOS, "pdf"))


@dataclass(frozen=True)
class Row:
    """One setting as people see it."""

    label: Text  # its name on the form, e.g. "Connection timeout (seconds)"
    help_th: str = ""  # Thai help (English: the help declared in config.py)
    # Shown only while another setting has one of these values (hidden fields keep theirs).
    shown_when: tuple[str, tuple[str, ...]] | None = None
    choices: dict[str, Text] | None = None  # a human name for each choice


def _row(en: str, th: str, help_th: str = "", **kw: object) -> Row:
    return Row(Text(en, th), help_th, **kw)  # type: ignore[arg-type]


SETTINGS: dict[str, Row] = {
    # --- [gateway]
    "gateway.kind": _row(
        "Payment gateway",
        "ระบบชำระเงิน",
        "ระบบทดสอบในเครื่องนี้ (ไม่มีเงินจริง) หรือ Villa Payment API (เงินจริง)",
        choices={
            "sandbox": Text("Test gateway (sandbox, no real money)", "ระบบทดสอบ (ไม่มีเงินจริง)"),
            "villa": Text("Villa Payment API", "Villa Payment API"),
        },
    ),
    "gateway.base_url": _row(
        "API address",
        "ที่อยู่ API",
        "ที่อยู่ API หลัก สำหรับระบบทดสอบ: เว้นว่าง = เปิดในเครื่องนี้ ไม่เช่นนั้นใช้ตัวที่เปิดอยู่แล้ว",
    ),
    "gateway.auth_header": _row(
        "How the sign-in token is sent",
        "วิธีส่งโทเค็นเข้าสู่ระบบ",
        "วิธีส่งโทเค็นเข้าสู่ระบบ: โทเค็นอย่างเดียว หรือ Bearer <โทเค็น>",
        shown_when=VILLA,
        choices={
            "raw": Text("The token alone", "โทเค็นอย่างเดียว"),
            "bearer": Text("Bearer <token>", "Bearer <โทเค็น>"),
        },
    ),
    "gateway.connect_timeout_s": _row(
        "Connection timeout (seconds)", "เวลารอการเชื่อมต่อ (วินาที)", "วินาทีที่รอการเชื่อมต่อ"
    ),
    "gateway.read_timeout_s": _row(
        "Answer timeout (seconds)", "เวลารอคำตอบ (วินาที)", "วินาทีที่รอคำตอบ"
    ),
    "gateway.total_timeout_s": _row(
        "Longest call (seconds)",
        "เวลานานที่สุดต่อการเรียก (วินาที)",
        "เวลานานที่สุดของการเรียกเกตเวย์หนึ่งครั้ง (รวมการเข้าสู่ระบบ Cognito) แม้คำตอบจะมาช้า ๆ",
    ),
    "gateway.methods": _row(
        "Payment methods offered",
        "วิธีชำระเงินที่เปิดให้ใช้",
        "วิธีชำระเงินที่เปิดให้ใช้: พร้อมเพย์ (คิวอาร์) และ/หรือ WeChat Pay",
    ),
    "gateway.paths.create_order": _row(
        "Path: create an order",
        "พาธ: สร้างคำสั่งซื้อ",
        "พาธสำหรับสร้างคำสั่งซื้อ KBank",
        shown_when=VILLA,
    ),
    "gateway.paths.qr": _row(
        "Path: fetch the QR",
        "พาธ: ขอคิวอาร์",
        "พาธสำหรับขอคิวอาร์ เมื่อการสร้างคำสั่งซื้อไม่ได้ส่งมา",
        shown_when=VILLA,
    ),
    "gateway.paths.status": _row(
        "Path: payment status",
        "พาธ: สถานะการชำระ",
        "พาธตรวจสถานะ; `{orderid}` = เลขรายการของเครื่อง, `{gateway_order_id}` = เลขของเกตเวย์",
        shown_when=VILLA,
    ),
    "gateway.paths.cancel": _row(
        "Path: cancel",
        "พาธ: ยกเลิก",
        "พาธยกเลิก (ส่งแบบ `POST`) เช่น `/cancel/{orderid}`; เว้นว่าง = ไม่รองรับ",
        shown_when=VILLA,
    ),
    "gateway.cognito.region": _row(
        "Cognito region", "ภูมิภาค Cognito", "ภูมิภาค AWS ของกลุ่มผู้ใช้ Cognito", shown_when=VILLA
    ),
    "gateway.cognito.user_pool_id": _row(
        "Cognito user pool", "กลุ่มผู้ใช้ Cognito", "รหัสกลุ่มผู้ใช้ Cognito", shown_when=VILLA
    ),
    "gateway.cognito.client_id": _row(
        "Cognito client id", "รหัสแอปไคลเอนต์ Cognito", "รหัสแอปไคลเอนต์ Cognito", shown_when=VILLA
    ),
    "gateway.cognito.username": _row(
        "Cognito user name",
        "ชื่อผู้ใช้ Cognito",
        "ชื่อผู้ใช้ Cognito ของเครื่องนี้",
        shown_when=VILLA,
    ),
    "gateway.cognito.endpoint_url": _row(
        "Cognito address",
        "ที่อยู่ Cognito",
        "ที่อยู่ Cognito; เว้นว่าง = AWS ของภูมิภาคนั้น",
        shown_when=VILLA,
    ),
    # --- [store]
    "store.name": _row("Shop name", "ชื่อร้าน", "ชื่อร้านที่แสดงต่อลูกค้าและบนใบเสร็จ"),
    "store.store_id": _row("Store id", "รหัสร้าน", "รหัสร้านที่ใช้ในเลขรายการ (ตัวอักษรหรือตัวเลข 1-8 ตัว)"),
    "store.terminal_id": _row(
        "Counter id", "รหัสเครื่อง", "รหัสเครื่อง (เคาน์เตอร์) ที่ใช้ในเลขรายการ (ตัวอักษรหรือตัวเลข 1-4 ตัว)"
    ),
    "store.max_amount": _row(
        "Largest sale (THB)", "ยอดขายสูงสุด (บาท)", "ยอดเงินสูงสุดต่อหนึ่งรายการ (บาท)"
    ),
    "store.checkout_timeout_s": _row(
        "Time to pay (seconds)", "เวลาให้ชำระ (วินาที)", "วินาทีที่คิวอาร์แสดงบนจอก่อนรายการหมดเวลา"
    ),
    "store.expected_payee": _row(
        "Shop's PromptPay or biller id",
        "พร้อมเพย์หรือรหัสผู้รับชำระของร้าน",
        "พร้อมเพย์ (เบอร์โทร 10 หลัก, เลข 13 หลัก) หรือรหัสผู้รับชำระ (15 หลัก) "
        "ที่คิวอาร์ทุกอันต้องโอนเข้า; เว้นว่าง = ไม่ตรวจ",
    ),
    # --- [poll]
    "poll.fast_s": _row(
        "Status check, at first (seconds)",
        "ตรวจสถานะช่วงแรกทุก (วินาที)",
        "วินาทีระหว่างการตรวจสถานะในช่วงแรก",
    ),
    "poll.slow_s": _row(
        "Status check, later (seconds)",
        "ตรวจสถานะช่วงหลังทุก (วินาที)",
        "วินาทีระหว่างการตรวจสถานะในช่วงหลัง",
    ),
    "poll.fast_for_s": _row(
        "Fast checks for (seconds)", "ตรวจถี่เป็นเวลา (วินาที)", "ระยะเวลาที่ตรวจสถานะแบบถี่"
    ),
    "poll.max_backoff_s": _row(
        "Longest wait after errors (seconds)",
        "รอนานที่สุดหลังข้อผิดพลาด (วินาที)",
        "เวลารอนานที่สุดหลังเกิดข้อผิดพลาด",
    ),
    # --- [recovery]
    "recovery.sweep_days": _row(
        "Re-check unpaid sales for (days)",
        "ตรวจรายการที่ยังไม่ได้รับเงินย้อนหลัง (วัน)",
        "จำนวนวันที่ยังตรวจสอบรายการที่ยังไม่ได้รับเงิน เผื่อเงินเข้าล่าช้า",
    ),
    "recovery.sweep_max_per_hour": _row(
        "Re-checks per hour, at most",
        "จำนวนการตรวจซ้ำสูงสุดต่อชั่วโมง",
        "จำนวนครั้งสูงสุดต่อชั่วโมงที่ตรวจสอบเงินเข้าล่าช้ากับเกตเวย์",
    ),
    "recovery.sweep_every_s": _row(
        "Re-check every (seconds)",
        "ตรวจซ้ำทุก (วินาที)",
        "วินาทีระหว่างการตรวจสอบเงินเข้าล่าช้าแต่ละรอบ ขณะเครื่องทำงาน",
    ),
    # --- [sandbox]
    "sandbox.scenario": _row(
        "Test customer",
        "ลูกค้าจำลอง",
        "ลูกค้าจำลองจะทำอะไร: จ่าย ถูกปฏิเสธ หรือไม่จ่าย",
        shown_when=SANDBOX,
        choices={
            "pay": Text("Pays", "จ่ายเงิน"),
            "decline": Text("Is declined", "ถูกปฏิเสธ"),
            "never": Text("Never pays", "ไม่จ่าย"),
        },
    ),
    "sandbox.pay_after_s": _row(
        "Test customer pays after (seconds)",
        "ลูกค้าจำลองจ่ายหลัง (วินาที)",
        "วินาทีจนลูกค้าจำลองจ่ายเงิน",
        shown_when=SANDBOX,
    ),
    "sandbox.expire_s": _row(
        "Test order expiry (seconds)",
        "อายุคำสั่งซื้อทดสอบ (วินาที)",
        "อายุคำสั่งซื้อของเกตเวย์ทดสอบเอง",
        shown_when=SANDBOX,
    ),
    # --- [journal], [batch]
    "journal.backup_days": _row(
        "Daily backups kept",
        "จำนวนสำเนารายวันที่เก็บ",
        "จำนวนสำเนาบันทึกรายวันล่าสุดที่เก็บในโฟลเดอร์สำรองข้อมูล (14 ขึ้นไป)",
    ),
    "journal.backup_monthly_years": _row(
        "Monthly backups kept (years)",
        "เก็บสำเนารายเดือน (ปี)",
        "จำนวนปีที่เก็บสำเนาบันทึกล่าสุดของแต่ละเดือนในโฟลเดอร์สำรองข้อมูล (5 ปีขึ้นไป ตามประมวลรัษฎากร มาตรา 87/3)",
    ),
    "journal.check": _row(
        "Records check at start-up",
        "ตรวจบันทึกตอนเปิดเครื่อง",
        "ตรวจสุขภาพบันทึกตอนเปิดเครื่อง: แบบเร็ว แบบเต็ม หรือไม่ตรวจ",
        choices={
            "quick": Text("Quick", "แบบเร็ว"),
            "full": Text("Full", "แบบเต็ม"),
            "off": Text("Off", "ไม่ตรวจ"),
        },
    ),
    "batch.auto_close": _row(
        "Close the day automatically at",
        "ปิดรอบอัตโนมัติเวลา",
        'ปิดรอบ (ออกรายงาน Z) เองทุกวันเวลานี้ เช่น "23:00" (เวลากรุงเทพฯ); เว้นว่าง = ปิดด้วยมือเท่านั้น',
    ),
    # --- [ui], [manager]
    "ui.language": _row(
        "Screen language",
        "ภาษาหน้าจอ",
        "ภาษาหน้าจอ: อังกฤษหรือไทย",
        choices={"en": Text("English", "English"), "th": Text("ภาษาไทย", "ภาษาไทย")},
    ),
    "ui.sound": _row("Sounds", "เสียง", "เล่นเสียงเมื่อชำระแล้วและเมื่อไม่สำเร็จ"),
    "ui.result_clear_s": _row(
        "Clear the result after (seconds)",
        "ล้างหน้าผลลัพธ์หลัง (วินาที)",
        "วินาทีก่อนหน้าผลลัพธ์จะหายไปเอง; 0 = ไม่หาย",
    ),
    "ui.kiosk_mode": _row(
        "Kiosk mode",
        "โหมดคีออสก์",
        "โหมดคีออสก์: เต็มจอ ไม่มีกรอบหน้าต่าง ปิดหรือออกต้องใช้ PIN ผู้จัดการ",
    ),
    "ui.hide_cursor": _row("Hide the mouse pointer", "ซ่อนตัวชี้เมาส์", "ซ่อนตัวชี้เมาส์ (จอสัมผัส)"),
    "manager.lock_after_s": _row(
        "Lock the manager screen after (seconds)",
        "ล็อกหน้าผู้จัดการหลัง (วินาที)",
        "วินาทีที่ไม่มีการแตะหรือกดปุ่ม ก่อนหน้าผู้จัดการจะล็อกเอง (กลับไปหน้าขาย ต้องใส่ PIN เพื่อเปิดอีกครั้ง)",
    ),
    # --- [printer]
    "printer.kind": _row(
        "Receipt printer",
        "เครื่องพิมพ์ใบเสร็จ",
        "เครื่องพิมพ์ใบเสร็จ: เครือข่าย, USB, สายอนุกรม, ไฟล์อุปกรณ์, PDF หรือไม่มี",
        choices={
            "none": Text("No printer", "ไม่มีเครื่องพิมพ์"),
            "network": Text("Network printer (ESC/POS)", "เครื่องพิมพ์เครือข่าย (ESC/POS)"),
            "usb": Text("USB printer (ESC/POS)", "เครื่องพิมพ์ USB (ESC/POS)"),
            "serial": Text("Serial printer (ESC/POS)", "เครื่องพิมพ์สายอนุกรม (ESC/POS)"),
            "file": Text("Printer device file", "ไฟล์อุปกรณ์เครื่องพิมพ์"),
            "pdf": Text("PDF files (no paper)", "ไฟล์ PDF (ไม่พิมพ์กระดาษ)"),
        },
    ),
    "printer.host": _row(
        "Printer address",
        "ที่อยู่เครื่องพิมพ์",
        "ที่อยู่ไอพีหรือชื่อของเครื่องพิมพ์เครือข่าย",
        shown_when=("printer.kind", ("network",)),
    ),
    "printer.port": _row(
        "Printer port",
        "พอร์ตเครื่องพิมพ์",
        "พอร์ต TCP ของเครื่องพิมพ์เครือข่าย (ปกติ 9100)",
        shown_when=("printer.kind", ("network",)),
    ),
    "printer.device": _row(
        "Printer device",
        "อุปกรณ์เครื่องพิมพ์",
        "ยูเอสบี: `VENDOR:PRODUCT`; สายอนุกรม: พอร์ต; ไฟล์: ไฟล์อุปกรณ์; พีดีเอฟ: โฟลเดอร์ผลลัพธ์",
        shown_when=("printer.kind", ("usb", "serial", "file", "pdf")),
    ),
    "printer.baudrate": _row(
        "Serial speed (baud)",
        "ความเร็วสายอนุกรม (baud)",
        "ความเร็วสายอนุกรม",
        shown_when=("printer.kind", ("serial",)),
    ),
    "printer.paper_mm": _row(
        "Paper width (mm)", "ความกว้างกระดาษ (มม.)", "ความกว้างกระดาษ: 58 หรือ 80", shown_when=PRINTING
    ),
    "printer.width_px": _row(
        "Printable width (dots)",
        "ความกว้างที่พิมพ์ได้ (จุด)",
        "ความกว้างที่พิมพ์ได้ (จุด); 0 = 384 สำหรับ 58 มม., 576 สำหรับ 80 มม.",
        shown_when=("printer.kind", ESCPOS),
    ),
    "printer.mode": _row(
        "Print as",
        "วิธีพิมพ์",
        "ภาพ: พิมพ์เป็นภาพ (ภาษาไทยถูกต้องทุกเครื่อง); ตัวอักษร: ส่งตัวอักษรรหัส CP874 ให้เครื่องพิมพ์",
        shown_when=("printer.kind", ESCPOS),
        choices={
            "raster": Text("Image (any printer)", "ภาพ (ใช้ได้ทุกเครื่อง)"),
            "text": Text("Text (Thai code page)", "ตัวอักษร (โค้ดเพจภาษาไทย)"),
        },
    ),
    "printer.codepage": _row(
        "Thai code page number",
        "หมายเลขโค้ดเพจภาษาไทย",
        "หมายเลข ESC t ของโค้ดเพจภาษาไทย (CP874) สำหรับการพิมพ์แบบตัวอักษร",
        shown_when=("printer.kind", ESCPOS),
    ),
    "printer.auto_print": _row(
        "Print receipts",
        "พิมพ์ใบเสร็จ",
        "พิมพ์ใบเสร็จเมื่อชำระแล้ว: ทุกครั้ง, ถามแคชเชียร์ หรือไม่พิมพ์",
        shown_when=PRINTING,
        choices={
            "always": Text("Always", "ทุกครั้ง"),
            "ask": Text("Ask the cashier", "ถามแคชเชียร์"),
            "never": Text("Never", "ไม่พิมพ์"),
        },
    ),
    # --- [receipt] (tax_invoice, pos_id, branch, vat_rate, item_description: coming)
    "receipt.tax_invoice": _row(
        "What the slip is",
        "เอกสารที่พิมพ์ให้ลูกค้า",
        "สลิปการชำระเงิน: ใช้เมื่อเครื่องขายหลักออกใบกำกับภาษีของบิลอยู่แล้ว;"
        " ใบกำกับภาษีอย่างย่อ: เครื่องนี้เป็นจุดขาย (ต้องได้รับอนุมัติใช้เครื่อง POS"
        " จากกรมสรรพากร แบบ ภ.พ.06 และใส่หมายเลขเครื่อง POS กับเลขประจำตัวผู้เสียภาษี)",
        choices={
            "none": Text("Payment slip", "สลิปการชำระเงิน"),
            "abb": Text("Abbreviated tax invoice", "ใบกำกับภาษีอย่างย่อ"),
        },
    ),
    "receipt.pos_id": _row(
        "POS registration number",
        "หมายเลขเครื่อง POS",
        "หมายเลขเครื่อง POS ที่กรมสรรพากรกำหนด พิมพ์บนใบกำกับภาษีทุกฉบับ",
        shown_when=("receipt.tax_invoice", ("abb",)),
    ),
    "receipt.branch": _row(
        "Branch number", "เลขที่สาขา", "สาขาที่พิมพ์ใต้ชื่อร้าน: 00000 = สำนักงานใหญ่; เว้นว่าง = ไม่แสดง"
    ),
    "receipt.merchant_copy": _row(
        "Also print a merchant copy",
        "พิมพ์สำเนาร้านค้าด้วย",
        "พิมพ์สำเนาร้านค้าของสลิปการชำระเงินด้วย (ต่อจากสำเนาลูกค้า)",
    ),
    "receipt.vat_rate": _row(
        "VAT rate (%)",
        "อัตราภาษีมูลค่าเพิ่ม (%)",
        "อัตราภาษีมูลค่าเพิ่ม (ร้อยละ) เก็บไว้กับใบกำกับภาษีแต่ละฉบับเมื่อออก",
        shown_when=("receipt.tax_invoice", ("abb",)),
    ),
    "receipt.item_description": _row(
        "Item description",
        "รายการสินค้า",
        "รายการสินค้าบนใบกำกับภาษี เมื่อการขายไม่มีเลขที่บิลอ้างอิง",
        shown_when=("receipt.tax_invoice", ("abb",)),
    ),
    "receipt.address": _row("Shop address", "ที่อยู่ร้าน", "ที่อยู่ร้านใต้ชื่อร้าน (ภาษาไทยได้)"),
    "receipt.tax_id": _row(
        "Tax id (13 digits)",
        "เลขประจำตัวผู้เสียภาษี (13 หลัก)",
        "เลขประจำตัวผู้เสียภาษี 13 หลัก; เว้นว่าง = ไม่แสดง",
    ),
    "receipt.footer": _row("Receipt footer", "ข้อความท้ายใบเสร็จ", "ข้อความท้ายใบเสร็จ"),
    "receipt.show_qr": _row(
        "Print the order's QR code", "พิมพ์คิวอาร์ของเลขรายการ", "พิมพ์คิวอาร์โค้ดของเลขรายการ"
    ),
    # --- [customer_display]
    "customer_display.screen": _row(
        "Customer screen",
        "จอลูกค้า",
        "จอฝั่งลูกค้า: อัตโนมัติ (จอที่สองเมื่อมี ไม่แสดงเมื่อมีจอเดียว) ปิด หรือชื่อ (รุ่น หรือหมายเลขเครื่อง) ของจอ",
    ),
    "customer_display.idle_text": _row(
        "Customer screen text when idle",
        "ข้อความบนจอลูกค้าเมื่อว่าง",
        "ข้อความที่ลูกค้าเห็นระหว่างรอการขาย ใต้ชื่อร้าน; เว้นว่าง = ไม่มี",
    ),
    "customer_display.idle_image": _row(
        "Customer screen picture when idle",
        "ภาพบนจอลูกค้าเมื่อว่าง",
        "ไฟล์รูปภาพที่ลูกค้าเห็นระหว่างรอการขาย; เว้นว่าง = ไม่มี",
    ),
    "customer_display.speak": _row(
        "Speak the amount when paid",
        "พูดยอดเงินเมื่อชำระแล้ว",
        'พูดยอดเงินเมื่อชำระแล้ว ("ได้รับเงิน 300 บาท") ตามภาษาของหน้าจอ',
    ),
    # --- [store_db]
    "store_db.url": _row(
        "Store database address",
        "ที่อยู่ฐานข้อมูลของร้าน",
        "ฐานข้อมูลของร้านที่ทุกเครื่องขายส่งรายการไป (ห้ามใส่รหัสผ่านที่นี่); เว้นว่าง = เครื่องนี้ทำงานเดี่ยว",
    ),
    "store_db.sslmode": _row(
        "Database encryption (TLS)",
        "การเข้ารหัสการเชื่อมต่อฐานข้อมูล (TLS)",
        "เว้นว่าง = ตรวจใบรับรองของเซิร์ฟเวอร์เต็มรูปแบบเมื่อมีไฟล์ใบรับรอง CA"
        " มิฉะนั้นเข้ารหัสอย่างเดียวเมื่ออยู่นอกเครื่องนี้ (ไม่ยืนยันตัวตนเซิร์ฟเวอร์)",
        choices={
            "": Text("Automatic", "อัตโนมัติ"),
            "disable": Text("Not encrypted", "ไม่เข้ารหัส"),
            "require": Text("Encrypted, server not checked", "เข้ารหัส ไม่ตรวจใบรับรองของเซิร์ฟเวอร์"),
            "verify-ca": Text("Encrypted, CA checked", "เข้ารหัส ตรวจใบรับรอง CA"),
            "verify-full": Text(
                "Encrypted, CA and server name checked", "เข้ารหัส ตรวจใบรับรอง CA และชื่อเซิร์ฟเวอร์"
            ),
        },
    ),
    "store_db.sslrootcert": _row(
        "Database CA certificate",
        "ใบรับรอง CA ของฐานข้อมูล",
        "ไฟล์ใบรับรอง CA ที่ลงนามใบรับรองของฐานข้อมูลของร้าน",
    ),
    "store_db.sync_interval_s": _row(
        "Send sales every (seconds)",
        "ส่งยอดขายทุก (วินาที)",
        "วินาทีระหว่างการส่งแต่ละครั้งไปยังฐานข้อมูลของร้าน",
    ),
}

# For callers that only want the Thai help.
THAI_HELP: dict[str, str] = {key: row.help_th for key, row in SETTINGS.items() if row.help_th}


def section_of(key: str) -> str:
    """Which tab a setting sits on."""
    return TAB_OF_TABLE.get(key.split(".")[0], "advanced")


def _humane(key: str) -> Text:
    """A key that has no row yet: its last part in words (never the whole dotted key)."""
    words = key.rpartition(".")[2].removesuffix("_s").replace("_", " ")
    return Text(words.capitalize(), words.capitalize())


def label_of(key: str) -> Text:
    row = SETTINGS.get(key)
    return row.label if row else _humane(key)


def choice_text(key: str, value: str) -> Text:
    row = SETTINGS.get(key)
    found = (row.choices or {}).get(value) if row else None
    return found or Text(value, value)


def shown(key: str, values: dict[str, object]) -> bool:
    """Whether ``key`` is shown while the form holds ``values`` (e.g. the host of a
    network printer only for ``printer.kind = network``)."""
    row = SETTINGS.get(key)
    if row is None or row.shown_when is None:
        return True
    other, wanted = row.shown_when
    return str(values.get(other, "")) in wanted


def help_text(key: str, english: str, language: str) -> str:
    row = SETTINGS.get(key)
    return row.help_th if language == "th" and row and row.help_th else english


# What a field's problem says, in words (the validators of config.py speak English only).
_WHY: list[tuple[str, str, str]] = [
    (r"is required.*", "is required", "ต้องกรอก"),
    (r"must be a whole number.*", "must be a whole number", "ต้องเป็นจำนวนเต็ม"),
    (r"must be a number.*", "must be a number", "ต้องเป็นตัวเลข"),
    (r"must be between (\S+) and (\S+).*", r"must be between \1 and \2", r"ต้องอยู่ระหว่าง \1 ถึง \2"),
    (r"must use https://.*", "must start with https://", "ต้องขึ้นต้นด้วย https://"),
    (
        r"must be an http\(s\) URL.*",
        "must be a web address (https://…)",
        "ต้องเป็นที่อยู่เว็บ (https://…)",
    ),
    (
        r"must be 1-(\d+) letters.*",
        r"must be 1 to \1 letters A-Z or digits",
        r"ต้องเป็นตัวอักษร A-Z หรือตัวเลข 1 ถึง \1 ตัว",
    ),
    (r"must be a 13-digit Thai tax id.*", "must be 13 digits", "ต้องเป็นตัวเลข 13 หลัก"),
    (
        r"must be VENDOR:PRODUCT.*",
        "must be VENDOR:PRODUCT in hex, e.g. 04b8:0e15",
        "ต้องอยู่ในรูป VENDOR:PRODUCT (เลขฐานสิบหก) เช่น 04b8:0e15",
    ),
    (
        r"must be a PromptPay.*",
        "must be a PromptPay id (10-digit phone, 13-digit id) or a 15-digit biller id",
        "ต้องเป็นพร้อมเพย์ (เบอร์โทร 10 หลัก หรือเลข 13 หลัก) หรือรหัสผู้รับชำระ 15 หลัก",
    ),
    (r"must be 58 or 80.*", "must be 58 or 80", "ต้องเป็น 58 หรือ 80"),
    (r"must be a time of day.*", 'must be a time such as "23:00"', 'ต้องเป็นเวลา เช่น "23:00"'),
    (r"must be one of (.*?)( \(got.*)?$", r"must be one of \1", r"ต้องเป็นหนึ่งใน \1"),
    (r"has an unknown method (.*)", r"has an unknown method \1", r"มีวิธีชำระที่ไม่รู้จัก \1"),
]


def why_text(why: str) -> Text:
    """A validator's reason (``"must be between 0.1 and 60 (got 99)"``) in both languages."""
    for pattern, en, th in _WHY:
        match = re.fullmatch(pattern, why.strip())
        if match:
            return Text(match.expand(en), match.expand(th))
    return Text(why, f"ไม่ถูกต้อง ({why})" if why else "ไม่ถูกต้อง")


def problem_text(key: str, why: str) -> Text:
    """A field's problem named by its label, never its key: "Shop name: is required"."""
    label, reason = label_of(key), why_text(why)
    return Text(f"{label.en}: {reason.en}.", f"{label.th}: {reason.th}")
