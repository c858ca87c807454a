<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="th_TH">
<context>
    <name>Controller</name>
    <message>
        <location filename="../../kiosk/ui/controller.py" line="100"/>
        <source>Payment received for order %1 (%2) — found after a restart.</source>
        <translation>ได้รับชำระเงินสำหรับรายการ %1 (%2) แล้ว — ตรวจพบหลังเปิดเครื่องใหม่</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/controller.py" line="167"/>
        <source>Late payment received: order %1 (%2) is PAID.</source>
        <translation>ได้รับเงินล่าช้า: รายการ %1 (%2) ชำระแล้ว</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="81"/>
        <source>QR payment kiosk</source>
        <translation>เครื่องรับชำระเงินคิวอาร์</translation>
    </message>
</context>
<context>
    <name>QrScreen</name>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="134"/>
        <location filename="../../kiosk/ui/qr_screen.py" line="235"/>
        <source>Order %1</source>
        <translation>รายการ %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="188"/>
        <source>Finishing…</source>
        <translation>กำลังจบรายการ…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="190"/>
        <source>Connection problem — still checking</source>
        <translation>การเชื่อมต่อมีปัญหา — ยังคงตรวจสอบอยู่</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="192"/>
        <source>Checking…</source>
        <translation>กำลังตรวจสอบ…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="194"/>
        <source>Time is up — checking one last time…</source>
        <translation>หมดเวลาแล้ว — กำลังตรวจสอบครั้งสุดท้าย…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="196"/>
        <source>Waiting for payment…</source>
        <translation>รอการชำระเงิน…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="224"/>
        <source>Scan to pay</source>
        <translation>สแกนเพื่อชำระเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="225"/>
        <source>Cancel sale</source>
        <translation>ยกเลิกรายการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="226"/>
        <source>Cancel this sale? The QR code will stop working.</source>
        <translation>ยกเลิกรายการนี้หรือไม่? คิวอาร์โค้ดจะใช้ไม่ได้อีก</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="227"/>
        <source>Yes, cancel</source>
        <translation>ใช่ ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="228"/>
        <source>Keep waiting</source>
        <translation>รอต่อ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="231"/>
        <source>Thai QR (PromptPay)</source>
        <translation>ไทยคิวอาร์ (พร้อมเพย์)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="233"/>
        <source>WeChat Pay</source>
        <translation>วีแชทเพย์</translation>
    </message>
</context>
<context>
    <name>ResultScreen</name>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="131"/>
        <source>New sale</source>
        <translation>รายการใหม่</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="136"/>
        <source>Paid</source>
        <translation>ชำระแล้ว</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="137"/>
        <source>Payment failed</source>
        <translation>ชำระเงินไม่สำเร็จ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="138"/>
        <source>QR code expired</source>
        <translation>คิวอาร์โค้ดหมดอายุ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="139"/>
        <source>Sale cancelled</source>
        <translation>ยกเลิกรายการแล้ว</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="145"/>
        <source>Late payment: the money arrived after the sale had ended.</source>
        <translation>ชำระล่าช้า: เงินเข้าหลังจากรายการสิ้นสุดแล้ว</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="148"/>
        <source>The customer&apos;s bank declined the payment.</source>
        <translation>ธนาคารของลูกค้าปฏิเสธการชำระเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="152"/>
        <source>The payment could not be completed.</source>
        <translation>ไม่สามารถชำระเงินให้เสร็จสิ้นได้</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="154"/>
        <source>No payment arrived in time. No money was taken.</source>
        <translation>ไม่มีการชำระเงินภายในเวลาที่กำหนด ไม่มีการตัดเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="156"/>
        <source>No money was taken.</source>
        <translation>ไม่มีการตัดเงิน</translation>
    </message>
</context>
<context>
    <name>SaleScreen</name>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="220"/>
        <source>Creating the payment…</source>
        <translation>กำลังสร้างรายการชำระเงิน…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="222"/>
        <source>Type the amount, choose how to pay, then press Charge.</source>
        <translation>ใส่จำนวนเงิน เลือกวิธีชำระ แล้วกด เรียกเก็บเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="262"/>
        <source>ภาษาไทย</source>
        <translation>English</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="263"/>
        <source>Thai QR (PromptPay)</source>
        <translation>ไทยคิวอาร์ (พร้อมเพย์)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="264"/>
        <source>WeChat Pay</source>
        <translation>วีแชทเพย์</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="265"/>
        <source>Charge</source>
        <translation>เรียกเก็บเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="266"/>
        <source>Clear</source>
        <translation>ล้าง</translation>
    </message>
</context>
<context>
    <name>SandboxBanner</name>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="54"/>
        <source>SANDBOX — test payments only, no real money</source>
        <translation>โหมดทดสอบ (SANDBOX) — ไม่ใช่เงินจริง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="55"/>
        <source>Customer will:</source>
        <translation>ลูกค้าจะ:</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="57"/>
        <source>pay after a few seconds</source>
        <translation>ชำระภายในไม่กี่วินาที</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="58"/>
        <source>be declined</source>
        <translation>ถูกปฏิเสธ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="59"/>
        <source>never pay</source>
        <translation>ไม่ชำระเลย</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="63"/>
        <source>Simulate customer payment</source>
        <translation>จำลองการชำระเงินของลูกค้า</translation>
    </message>
</context>
</TS>
