-- AlterTable
ALTER TABLE "Session" ADD COLUMN "deviceId" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN "frozenAt" DATETIME;
ALTER TABLE "User" ADD COLUMN "unfreezeAt" DATETIME;

-- CreateTable
CREATE TABLE "SecurityNotice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "device" TEXT,
    "ip" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" DATETIME,
    CONSTRAINT "SecurityNotice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "NoticeOptOut" (
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,

    PRIMARY KEY ("userId", "kind"),
    CONSTRAINT "NoticeOptOut_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FreezeLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "FreezeLink_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "SecurityNotice_userId_createdAt_idx" ON "SecurityNotice"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "SecurityNotice_userId_readAt_idx" ON "SecurityNotice"("userId", "readAt");

-- CreateIndex
CREATE UNIQUE INDEX "FreezeLink_tokenHash_key" ON "FreezeLink"("tokenHash");

-- CreateIndex
CREATE INDEX "FreezeLink_userId_idx" ON "FreezeLink"("userId");
