"""The Indonesian texts of the HTTP status titles and of werkzeug's error descriptions (registered in the
catalogue by kinerja_shared.messages, with the rest of the common library's texts)."""

from __future__ import annotations

from http import HTTPStatus

# -- HTTP titles and werkzeug's descriptions ------------------------------------------------
TITLES_ID = {
    400: "Permintaan tidak sah",
    401: "Belum terautentikasi",
    402: "Pembayaran diperlukan",
    403: "Tidak diizinkan",
    404: "Tidak ditemukan",
    405: "Metode tidak diizinkan",
    406: "Tidak dapat diterima",
    407: "Autentikasi proksi diperlukan",
    408: "Waktu permintaan habis",
    409: "Konflik",
    410: "Sudah tidak ada",
    411: "Panjang isi diperlukan",
    412: "Prasyarat gagal",
    413: "Isi permintaan terlalu besar",
    414: "URI terlalu panjang",
    415: "Jenis media tidak didukung",
    416: "Rentang tidak dapat dipenuhi",
    417: "Harapan gagal",
    418: "Saya sebuah teko",
    421: "Permintaan salah arah",
    422: "Isi tidak dapat diproses",
    423: "Terkunci",
    424: "Ketergantungan gagal",
    425: "Terlalu dini",
    426: "Perlu peningkatan protokol",
    428: "Prasyarat diperlukan",
    429: "Terlalu banyak permintaan",
    431: "Kolom header terlalu besar",
    451: "Tidak tersedia karena alasan hukum",
    500: "Kesalahan server",
    501: "Belum diterapkan",
    502: "Gateway buruk",
    503: "Layanan tidak tersedia",
    504: "Waktu gateway habis",
    505: "Versi HTTP tidak didukung",
    506: "Varian juga bernegosiasi",
    507: "Penyimpanan tidak cukup",
    508: "Perulangan terdeteksi",
    510: "Tidak diperluas",
    511: "Autentikasi jaringan diperlukan",
}
TITLES = [(f"http_{s.value}", s.phrase, TITLES_ID[s.value]) for s in HTTPStatus if s.value >= 400]

WERKZEUG = [
    (
        "http_400_description",
        "The browser (or proxy) sent a request that this server could not understand.",
        "Peramban (atau proksi) mengirim permintaan yang tidak dapat dipahami server ini.",
    ),
    (
        "http_401_description",
        "The server could not verify that you are authorized to access the URL requested. You "
        "either supplied the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply "
        "the credentials required.",
        "Server tidak dapat memastikan bahwa Anda berhak membuka alamat ini.",
    ),
    (
        "http_403_description",
        "You don't have the permission to access the requested resource. It is either "
        "read-protected or not readable by the server.",
        "Anda tidak memiliki izin untuk membuka sumber daya ini.",
    ),
    (
        "http_404_description",
        "The requested URL was not found on the server. If you entered the URL manually please "
        "check your spelling and try again.",
        "Alamat yang diminta tidak ada di server. Jika Anda mengetiknya sendiri, periksa ejaannya lalu coba lagi.",
    ),
    (
        "http_405_description",
        "The method is not allowed for the requested URL.",
        "Metode ini tidak diizinkan untuk alamat yang diminta.",
    ),
    (
        "http_406_description",
        "The resource identified by the request is only capable of generating response entities "
        "which have content characteristics not acceptable according to the accept headers sent in the request.",
        "Sumber daya ini tidak dapat dikirim dalam format yang diminta header Accept.",
    ),
    (
        "http_408_description",
        "The server closed the network connection because the browser didn't finish the request "
        "within the specified time.",
        "Server menutup koneksi karena permintaan tidak selesai dikirim tepat waktu.",
    ),
    (
        "http_409_description",
        "A conflict happened while processing the request. The resource might have been modified "
        "while the request was being processed.",
        "Terjadi konflik saat memproses permintaan; data mungkin berubah selama permintaan diproses.",
    ),
    (
        "http_410_description",
        "The requested URL is no longer available on this server and there is no forwarding "
        "address. If you followed a link from a foreign page, please contact the author of this page.",
        "Alamat yang diminta sudah tidak tersedia di server ini.",
    ),
    (
        "http_411_description",
        "A request with this method requires a valid <code>Content-Length</code> header.",
        "Permintaan dengan metode ini memerlukan header Content-Length yang sah.",
    ),
    (
        "http_412_description",
        "The precondition on the request for the URL failed positive evaluation.",
        "Prasyarat permintaan untuk alamat ini tidak terpenuhi.",
    ),
    (
        "http_413_description",
        "The data value transmitted exceeds the capacity limit.",
        "Data yang dikirim melebihi batas kapasitas.",
    ),
    (
        "http_414_description",
        "The length of the requested URL exceeds the capacity limit for this server. The request cannot be processed.",
        "Alamat yang diminta terlalu panjang untuk server ini; permintaan tidak dapat diproses.",
    ),
    (
        "http_415_description",
        "The server does not support the media type transmitted in the request.",
        "Server tidak mendukung jenis media yang dikirim dalam permintaan.",
    ),
    (
        "http_416_description",
        "The server cannot provide the requested range.",
        "Server tidak dapat memberikan rentang yang diminta.",
    ),
    (
        "http_417_description",
        "The server could not meet the requirements of the Expect header",
        "Server tidak dapat memenuhi header Expect.",
    ),
    (
        "http_418_description",
        "This server is a teapot, not a coffee machine",
        "Server ini sebuah teko, bukan mesin kopi.",
    ),
    ("http_421_description", "The server is not able to produce a response.", "Server tidak dapat memberikan jawaban."),
    (
        "http_422_description",
        "The request was well-formed but was unable to be followed due to semantic errors.",
        "Permintaan tersusun dengan benar tetapi isinya tidak dapat diproses.",
    ),
    (
        "http_423_description",
        "The resource that is being accessed is locked.",
        "Sumber daya yang dibuka sedang terkunci.",
    ),
    (
        "http_424_description",
        "The method could not be performed on the resource because the requested action depended "
        "on another action and that action failed.",
        "Tindakan ini bergantung pada tindakan lain yang gagal.",
    ),
    (
        "http_428_description",
        'This request is required to be conditional; try using "If-Match" or "If-Unmodified-Since".',
        'Permintaan ini harus bersyarat; kirim header "If-Match" atau "If-Unmodified-Since".',
    ),
    (
        "http_429_description",
        "This user has exceeded an allotted request count. Try again later.",
        "Pengguna ini melebihi jumlah permintaan yang diizinkan. Coba lagi nanti.",
    ),
    (
        "http_431_description",
        "One or more header fields exceeds the maximum size.",
        "Satu atau lebih header melebihi ukuran maksimum.",
    ),
    ("http_451_description", "Unavailable for legal reasons.", "Tidak tersedia karena alasan hukum."),
    (
        "http_500_description",
        "The server encountered an internal error and was unable to complete your request. Either "
        "the server is overloaded or there is an error in the application.",
        "Server mengalami kesalahan internal dan tidak dapat menyelesaikan permintaan Anda.",
    ),
    (
        "http_501_description",
        "The server does not support the action requested by the browser.",
        "Server tidak mendukung tindakan yang diminta.",
    ),
    (
        "http_502_description",
        "The proxy server received an invalid response from an upstream server.",
        "Server proksi menerima jawaban yang tidak sah dari server di belakangnya.",
    ),
    (
        "http_503_description",
        "The server is temporarily unable to service your request due to maintenance downtime or "
        "capacity problems. Please try again later.",
        "Server untuk sementara tidak dapat melayani permintaan Anda "
        "(pemeliharaan atau kapasitas penuh). Coba lagi nanti.",
    ),
    (
        "http_504_description",
        "The connection to an upstream server timed out.",
        "Koneksi ke server di belakang gateway habis waktunya.",
    ),
    (
        "http_505_description",
        "The server does not support the HTTP protocol version used in the request.",
        "Server tidak mendukung versi protokol HTTP yang dipakai permintaan.",
    ),
]
