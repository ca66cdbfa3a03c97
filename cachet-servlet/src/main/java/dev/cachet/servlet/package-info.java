package dev.cachet.servlet;
